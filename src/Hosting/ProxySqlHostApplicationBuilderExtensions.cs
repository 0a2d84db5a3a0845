using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProxySql;
using ProxySql.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The host-builder integration, shaped like the .NET Aspire client integrations: one call registers the databases, the
/// balanced <see cref="System.Data.Common.DbDataSource"/>, the health check, metrics and tracing.
/// </summary>
public static class ProxySqlHostApplicationBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="T"/> (bound from its section of <c>builder.Configuration</c>), its
    /// <see cref="System.Data.Common.DbDataSource"/>, <c>AddProxySqlHealthCheck&lt;T&gt;()</c>, and ProxySql.Gen's and
    /// MySqlConnector's meters and activity sources in OpenTelemetry. Each can be turned off in <c>{section}:Hosting</c>
    /// or <paramref name="configureSettings"/>. The configuration is checked when the host starts: a bad value stops it
    /// with the configuration path in the message.
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="builder">The host builder (<c>WebApplication.CreateBuilder</c>, <c>Host.CreateApplicationBuilder</c>).</param>
    /// <param name="configureSettings">Changes the switches after they are read from configuration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ProxySqlConfigurationException">A <c>Hosting</c> switch is not true or false.</exception>
    public static IHostApplicationBuilder AddProxySqlDatabases<T>(this IHostApplicationBuilder builder, Action<ProxySqlHostingSettings>? configureSettings = null)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = Settings<T>(builder.Configuration, configureSettings);
        builder.Services.AddProxySqlDatabasesCore<T>(null, null, !settings.DisableDataSource);
        return AddTheRest<T>(builder, settings, null);
    }

    /// <summary>
    /// As <see cref="AddProxySqlDatabases{T}"/>, registered as keyed services under <paramref name="serviceKey"/> (apps with two
    /// clusters), bound from <paramref name="configuration"/> or <c>builder.Configuration</c>.
    /// </summary>
    /// <typeparam name="T">The generated class.</typeparam>
    /// <param name="builder">The host builder.</param>
    /// <param name="serviceKey">The key of the databases, their data source and their health check.</param>
    /// <param name="configuration">The root configuration holding the class's section; <c>builder.Configuration</c> when <see langword="null"/>.</param>
    /// <param name="configureSettings">Changes the switches after they are read from configuration.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IHostApplicationBuilder AddKeyedProxySqlDatabases<T>(this IHostApplicationBuilder builder, object serviceKey, IConfiguration? configuration = null, Action<ProxySqlHostingSettings>? configureSettings = null)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serviceKey);
        var settings = Settings<T>(configuration ?? builder.Configuration, configureSettings);
        builder.Services.AddProxySqlDatabasesCore<T>(serviceKey, configuration, !settings.DisableDataSource);
        return AddTheRest<T>(builder, settings, serviceKey);
    }

    private static ProxySqlHostingSettings Settings<T>(IConfiguration configuration, Action<ProxySqlHostingSettings>? configure)
        where T : ProxySqlDatabases, IProxySqlDatabases<T>
    {
        var settings = ProxySqlHostingSettingsReader.Read(configuration, T.SectionName);
        configure?.Invoke(settings);
        return settings;
    }

    private static IHostApplicationBuilder AddTheRest<T>(IHostApplicationBuilder builder, ProxySqlHostingSettings settings, object? serviceKey)
        where T : ProxySqlDatabases
    {
        if (!settings.DisableHealthChecks)
            builder.Services.AddHealthChecks().AddProxySqlHealthCheck<T>(serviceKey: serviceKey);
        if (!settings.DisableMetrics)
            builder.Services.AddOpenTelemetry().WithMetrics(static m => m.AddProxySqlInstrumentation());
        if (!settings.DisableTracing)
            builder.Services.AddOpenTelemetry().WithTracing(static t => t.AddProxySqlInstrumentation());
        return builder;
    }
}
