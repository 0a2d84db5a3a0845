using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// The <see cref="MySqlDbContextOptionsBuilder"/> UseProxySql hands to its callback: <c>EnableRetryOnFailure</c> installs
/// <see cref="ProxySqlRetryingExecutionStrategy"/>, which also retries when no peer could open.
/// </summary>
internal sealed class ProxySqlMySqlDbContextOptionsBuilder(DbContextOptionsBuilder optionsBuilder) : MySqlDbContextOptionsBuilder(optionsBuilder)
{
    public override MySqlDbContextOptionsBuilder EnableRetryOnFailure() =>
        ExecutionStrategy(c => new ProxySqlRetryingExecutionStrategy(c));

    public override MySqlDbContextOptionsBuilder EnableRetryOnFailure(int maxRetryCount) =>
        ExecutionStrategy(c => new ProxySqlRetryingExecutionStrategy(c, maxRetryCount));

    public override MySqlDbContextOptionsBuilder EnableRetryOnFailure(int maxRetryCount, TimeSpan maxRetryDelay, ICollection<int>? errorNumbersToAdd) =>
        ExecutionStrategy(c => new ProxySqlRetryingExecutionStrategy(c, maxRetryCount, maxRetryDelay, errorNumbersToAdd));
}
