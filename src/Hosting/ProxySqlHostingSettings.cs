namespace ProxySql.Hosting;

/// <summary>
/// What <c>builder.AddProxySqlDatabases&lt;T&gt;()</c> registers besides the databases. Bound from the class's section,
/// under <c>Hosting</c> (<c>ProxySql:Hosting:DisableTracing = true</c>), then changed by the optional callback.
/// </summary>
public sealed class ProxySqlHostingSettings
{
    /// <summary>Do not register the balanced <see cref="System.Data.Common.DbDataSource"/>.</summary>
    public bool DisableDataSource { get; set; }

    /// <summary>Do not register the health check.</summary>
    public bool DisableHealthChecks { get; set; }

    /// <summary>Do not add ProxySql.Gen's and MySqlConnector's meters to OpenTelemetry.</summary>
    public bool DisableMetrics { get; set; }

    /// <summary>Do not add ProxySql.Gen's and MySqlConnector's activity sources to OpenTelemetry.</summary>
    public bool DisableTracing { get; set; }
}
