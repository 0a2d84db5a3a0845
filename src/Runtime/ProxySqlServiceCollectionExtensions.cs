using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ProxySql;

/// <summary>Registers generated <see cref="ProxySqlDatabases"/> classes in a service collection.</summary>
public static class ProxySqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="T"/> as a singleton created by its generated <c>Create</c> (no reflection, AOT-safe),
    /// with the container's <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> when registered.
    /// The container disposes it, which stops its background probes.
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The root configuration holding the class's section.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddProxySqlDatabases<T>(this IServiceCollection services, IConfiguration configuration)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(sp => T.Create(configuration, sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>()));
        return services;
    }
}
