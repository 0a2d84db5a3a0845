using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace ProxySql;

/// <summary>How a generated databases class is built besides its configuration section.</summary>
public sealed class ProxySqlDatabasesOptions
{
    /// <summary>Where the balancer and the per-peer data sources log; nothing is logged when <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock; the system clock when <see langword="null"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Where the <c>ProxySql.Gen</c> meter comes from (with DI, the container's); a meter of its own when <see langword="null"/>.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>
    /// Called with the peer's name for every <see cref="MySqlDataSourceBuilder"/> the balancer builds for that peer (its
    /// pool, its probe connections, and again whenever a pool is retired and rebuilt): TLS callbacks
    /// (<see cref="MySqlDataSourceBuilder.UseRemoteCertificateValidationCallback"/>), a periodic password provider,
    /// a connection-opened callback. The builder is already named after the peer; do not change its connection string.
    /// </summary>
    public Action<string, MySqlDataSourceBuilder>? ConfigureDataSource { get; init; }
}
