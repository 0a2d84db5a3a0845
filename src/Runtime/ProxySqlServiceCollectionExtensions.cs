using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ProxySql;

/// <summary>Registers generated <see cref="ProxySqlDatabases"/> classes in a service collection.</summary>
public static class ProxySqlServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="T"/> as a singleton created by its generated <c>Create</c> (no reflection, AOT-safe),
    /// with the container's <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> when registered, and its
    /// <see cref="ProxySqlDatabases.DataSource"/> as the container's <see cref="DbDataSource"/> (unless one is registered).
    /// The container disposes it, which stops its background probes. Under a host (<c>Microsoft.Extensions.Hosting</c>) the
    /// configuration is checked when the host starts: a bad value stops it with an
    /// <see cref="OptionsValidationException"/> whose message is the <see cref="ProxySqlConfigurationException"/>'s,
    /// naming the configuration path. Without a host the first resolve throws the <see cref="ProxySqlConfigurationException"/>.
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
        return services.AddProxySqlDatabasesCore<T>(null, configuration, dataSource: true);
    }

    /// <summary>
    /// As <see cref="AddProxySqlDatabases{T}(IServiceCollection, IConfiguration)"/>, with the container's
    /// <see cref="IConfiguration"/> (what a host registers).
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddProxySqlDatabases<T>(this IServiceCollection services)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddProxySqlDatabasesCore<T>(null, null, dataSource: true);
    }

    /// <summary>
    /// Registers <typeparamref name="T"/> and its <see cref="DbDataSource"/> as keyed services under
    /// <paramref name="serviceKey"/>, for apps with two clusters (two classes, or one class bound from two configurations).
    /// Resolve with <c>[FromKeyedServices(key)]</c> or <c>GetRequiredKeyedService</c>; the configuration is checked at host start as for
    /// <see cref="AddProxySqlDatabases{T}(IServiceCollection, IConfiguration)"/>.
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The key; also names the startup check.</param>
    /// <param name="configuration">The root configuration holding the class's section; the container's when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddKeyedProxySqlDatabases<T>(this IServiceCollection services, object serviceKey, IConfiguration? configuration = null)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        return services.AddProxySqlDatabasesCore<T>(serviceKey, configuration, dataSource: true);
    }

    /// <summary>What every registration does; ProxySql.Gen.Hosting calls it with its switches.</summary>
    internal static IServiceCollection AddProxySqlDatabasesCore<T>(this IServiceCollection services, object? serviceKey, IConfiguration? configuration, bool dataSource)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        if (serviceKey is null)
        {
            services.TryAddSingleton(sp => Create<T>(sp, configuration ?? sp.GetRequiredService<IConfiguration>()));
            if (dataSource)
                services.TryAddSingleton<DbDataSource>(static sp => sp.GetRequiredService<T>().DataSource);
            AddStartupValidation(services, Options.DefaultName, static sp => sp.GetRequiredService<T>());
            return services;
        }

        services.TryAddKeyedSingleton(serviceKey, (sp, _) => Create<T>(sp, configuration ?? sp.GetRequiredService<IConfiguration>()));
        if (dataSource)
            services.TryAddKeyedSingleton(serviceKey, static (sp, key) => sp.GetRequiredKeyedService<T>(key).DataSource);
        AddStartupValidation(services, "key " + serviceKey, sp => sp.GetRequiredKeyedService<T>(serviceKey));
        return services;
    }

    private static T Create<T>(IServiceProvider services, IConfiguration configuration)
        where T : ProxySqlDatabases, IProxySqlDatabases<T> =>
        T.Create(configuration, new ProxySqlDatabasesOptions
        {
            LoggerFactory = services.GetService<ILoggerFactory>(),
            TimeProvider = services.GetService<TimeProvider>(),
            MeterFactory = services.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
        });

    private static void AddStartupValidation<T>(IServiceCollection services, string name, Func<IServiceProvider, T> resolve)
        where T : ProxySqlDatabases
    {
        services.AddOptions<ProxySqlStartupValidation<T>>(name).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxySqlStartupValidation<T>>>(sp => new ProxySqlStartupValidator<T>(name, () => resolve(sp)));
    }
}
