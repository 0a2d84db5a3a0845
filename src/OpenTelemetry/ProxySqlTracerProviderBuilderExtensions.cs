using ProxySql;

namespace OpenTelemetry.Trace;

/// <summary>Adds ProxySql.Gen's spans to an OpenTelemetry tracer provider.</summary>
public static class ProxySqlTracerProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>ProxySql.Gen</c> activity source (a <c>proxysql.open</c> span per balanced open) and, unless
    /// <paramref name="includeMySqlConnector"/> is <see langword="false"/>, to MySqlConnector's spans (connection open, commands).
    /// </summary>
    /// <param name="builder">The tracer provider builder (<c>WithTracing(t => t.AddProxySqlInstrumentation())</c>).</param>
    /// <param name="includeMySqlConnector">Whether to add the driver's own activity source too.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static TracerProviderBuilder AddProxySqlInstrumentation(this TracerProviderBuilder builder, bool includeMySqlConnector = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return includeMySqlConnector
            ? builder.AddSource(ProxySqlTelemetry.ActivitySourceName, ProxySqlTelemetry.MySqlConnectorName)
            : builder.AddSource(ProxySqlTelemetry.ActivitySourceName);
    }
}
