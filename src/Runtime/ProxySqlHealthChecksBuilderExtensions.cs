using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProxySql;

/// <summary>Registers <see cref="ProxySqlHealthCheck"/> for a generated class: <c>builder.Services.AddHealthChecks().AddProxySqlHealthCheck&lt;AppDatabases&gt;()</c>.</summary>
public static class ProxySqlHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check reporting the peers of <typeparamref name="T"/> (registered with
    /// <c>AddProxySqlDatabases&lt;T&gt;</c>, or keyed with <c>AddKeyedProxySqlDatabases&lt;T&gt;</c> when <paramref name="serviceKey"/> is given).
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; the type name (and key) when <see langword="null"/>.</param>
    /// <param name="failureStatus">What to report when no enabled peer is known Up; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <param name="serviceKey">The key the databases were registered under; unkeyed when <see langword="null"/>.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHealthChecksBuilder AddProxySqlHealthCheck<T>(this IHealthChecksBuilder builder, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, object? serviceKey = null)
        where T : ProxySqlDatabases
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? (serviceKey is null ? typeof(T).Name : $"{typeof(T).Name}:{serviceKey}"),
            sp => new ProxySqlHealthCheck(serviceKey is null ? sp.GetRequiredService<T>() : sp.GetRequiredKeyedService<T>(serviceKey)),
            failureStatus,
            tags));
    }
}
