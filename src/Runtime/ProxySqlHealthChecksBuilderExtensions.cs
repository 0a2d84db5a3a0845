using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProxySql;

/// <summary>Registers <see cref="ProxySqlHealthCheck"/> for a generated class.</summary>
public static class ProxySqlHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check reporting the peers of <typeparamref name="T"/> (registered with
    /// <see cref="ProxySqlServiceCollectionExtensions.AddProxySqlDatabases{T}"/>).
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; the type name when <see langword="null"/>.</param>
    /// <param name="failureStatus">What to report when no peer can serve; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddProxySqlHealthCheck<T>(this IHealthChecksBuilder builder, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
        where T : ProxySqlDatabases
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? typeof(T).Name,
            sp => new ProxySqlHealthCheck(sp.GetRequiredService<T>()),
            failureStatus,
            tags));
    }
}
