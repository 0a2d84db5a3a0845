using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using ProxySql;

// Beside Pomelo's MySqlRetryingExecutionStrategy.
namespace Microsoft.EntityFrameworkCore;

/// <summary>
/// Pomelo's retrying execution strategy that also retries <see cref="ProxySqlUnavailableException"/>: no peer could open
/// now, and peers come back after their check interval. <c>EnableRetryOnFailure()</c> inside <c>UseProxySql</c> installs it;
/// with <c>ExecutionStrategy(...)</c> create it yourself.
/// </summary>
/// <remarks>
/// EF Core retries the whole operation (or the delegate given to <c>CreateExecutionStrategy().ExecuteAsync</c>), each try
/// opening through the balancer again; a transaction is retried only as a whole, as with any retrying strategy.
/// </remarks>
public class ProxySqlRetryingExecutionStrategy : MySqlRetryingExecutionStrategy
{
    /// <summary>Retries up to 6 times with up to 30 s between tries (EF Core's defaults).</summary>
    /// <param name="dependencies">From EF Core.</param>
    public ProxySqlRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies)
        : this(dependencies, DefaultMaxRetryCount)
    {
    }

    /// <summary>Retries up to <paramref name="maxRetryCount"/> times.</summary>
    /// <param name="dependencies">From EF Core.</param>
    /// <param name="maxRetryCount">The most retries.</param>
    public ProxySqlRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount)
        : this(dependencies, maxRetryCount, DefaultMaxDelay, errorNumbersToAdd: null)
    {
    }

    /// <summary>Retries up to <paramref name="maxRetryCount"/> times, at most <paramref name="maxRetryDelay"/> apart.</summary>
    /// <param name="dependencies">From EF Core.</param>
    /// <param name="maxRetryCount">The most retries.</param>
    /// <param name="maxRetryDelay">The longest delay between tries.</param>
    /// <param name="errorNumbersToAdd">More MySQL error numbers to treat as transient.</param>
    public ProxySqlRetryingExecutionStrategy(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay, ICollection<int>? errorNumbersToAdd)
        : base(dependencies, maxRetryCount, maxRetryDelay, errorNumbersToAdd)
    {
    }

    /// <inheritdoc/>
    protected override bool ShouldRetryOn(Exception exception) =>
        exception is ProxySqlUnavailableException || base.ShouldRetryOn(exception);
}
