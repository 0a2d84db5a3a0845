using ProxySql;

namespace OpenTelemetry.Metrics;

/// <summary>Adds ProxySql.Gen's metrics to an OpenTelemetry meter provider.</summary>
public static class ProxySqlMeterProviderBuilderExtensions
{
    /// <summary>
    /// Listens to the <c>ProxySql.Gen</c> meter (opens, failovers, mark-downs, peer state, connections in use) and, unless
    /// <paramref name="includeMySqlConnector"/> is <see langword="false"/>, to MySqlConnector's <c>db.client.connection.*</c> metrics.
    /// </summary>
    /// <param name="builder">The meter provider builder (<c>WithMetrics(m => m.AddProxySqlInstrumentation())</c>).</param>
    /// <param name="includeMySqlConnector">Whether to add the driver's own meter too.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static MeterProviderBuilder AddProxySqlInstrumentation(this MeterProviderBuilder builder, bool includeMySqlConnector = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return includeMySqlConnector
            ? builder.AddMeter(ProxySqlTelemetry.MeterName, ProxySqlTelemetry.MySqlConnectorName)
            : builder.AddMeter(ProxySqlTelemetry.MeterName);
    }
}
