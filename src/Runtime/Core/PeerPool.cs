using MySqlConnector;
using ProxySql.Configuration;

namespace ProxySql.Core;

/// <summary>
/// The data sources of one peer: a pooled one for leases, named after the peer so the driver's own metrics and logs
/// say which peer, and an unpooled one for probes. Owned by this balancer alone: nothing touches MySqlConnector's
/// process-wide pools, so two balancers with the same peers never clear each other's sessions.
/// </summary>
/// <remarks>
/// Retiring swaps in fresh data sources and disposes the old ones: their idle sessions close now, and sessions in
/// use are discarded when returned (disposing clears the pool, which moves it to a new generation).
/// </remarks>
internal sealed class PeerPool : IAsyncDisposable
{
    private readonly string _name;
    private readonly Action<string, MySqlDataSourceBuilder>? _configure;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory? _loggerFactory;
    private readonly Lock _gate = new();
    private Sources _current;
    private bool _disposed;

    public PeerPool(string name, PeerSettings settings, Action<string, MySqlDataSourceBuilder>? configure, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory)
    {
        _name = name;
        _configure = configure;
        _loggerFactory = loggerFactory;
        _current = Build(settings);
    }

    /// <summary>How many times the pool was retired; tests and diagnostics read it.</summary>
    public int Retirements { get; private set; }

    /// <summary>A closed connection on the peer's current pool.</summary>
    public MySqlConnection CreateConnection() => Volatile.Read(ref _current).Pooled.CreateConnection();

    /// <summary>A closed, unpooled connection for a probe.</summary>
    public MySqlConnection CreateProbeConnection() => Volatile.Read(ref _current).Probe.CreateConnection();

    /// <summary>Closes the idle sessions and discards those in use when returned; future leases use fresh sources for <paramref name="settings"/>.</summary>
    public ValueTask RetireAsync(PeerSettings settings)
    {
        Sources old;
        lock (_gate)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            old = _current;
            Volatile.Write(ref _current, Build(settings));
            Retirements++;
        }

        return old.DisposeAsync();
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
        }

        return _current.DisposeAsync();
    }

    /// <summary>
    /// The driver's pool name (its <c>pool.name</c> metric attribute and log scope): the peer, the user and the
    /// endpoint, never a secret, so two balancers or two clusters with the same peer names stay apart.
    /// </summary>
    public static string PoolName(string peerName, PeerSettings settings) =>
        $"{peerName} ({new MySqlConnectionStringBuilder(settings.ConnectionString).UserID}@{settings.Endpoint})";

    private Sources Build(PeerSettings settings)
    {
        var name = PoolName(_name, settings);
        return new(Build(settings.ConnectionString, name), Build(settings.ProbeConnectionString, name + " probe"));
    }

    private MySqlDataSource Build(string connectionString, string name)
    {
        var builder = new MySqlDataSourceBuilder(connectionString).UseName(name).UseLoggerFactory(_loggerFactory);
        _configure?.Invoke(_name, builder);
        return builder.Build();
    }

    private sealed record Sources(MySqlDataSource Pooled, MySqlDataSource Probe)
    {
        public async ValueTask DisposeAsync()
        {
            await Pooled.DisposeAsync().ConfigureAwait(false);
            await Probe.DisposeAsync().ConfigureAwait(false);
        }
    }
}
