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
    private readonly List<Sources> _retired = [];
    private volatile bool _disposed;
    private volatile int _retiredCount;
    private int _reclearScheduled;
    private int _releases;

    private readonly TimeProvider _time;

    public PeerPool(string name, PeerSettings settings, Action<string, MySqlDataSourceBuilder>? configure, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory, TimeProvider time)
    {
        _name = name;
        _time = time;
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

        return RetireAsync(old, settings.ConnectTimeout);
    }

    /// <summary>Closes the idle sessions; sessions in use and opens still under way are closed as described in <see cref="RetireAsync(PeerSettings)"/>.</summary>
    /// <param name="connectTimeout">The longest an open under way may still take.</param>
    public ValueTask DisposeAsync(TimeSpan connectTimeout)
    {
        lock (_gate)
        {
            if (_disposed)
                return ValueTask.CompletedTask;
            _disposed = true;
        }

        return RetireAsync(_current, connectTimeout);
    }

    public ValueTask DisposeAsync() => DisposeAsync(TimeSpan.Zero);

    /// <summary>
    /// A session of this peer was closed by its user or released late (an open that outlived its attempt). Disposing a
    /// data source clears its pool (idle sessions closed, a new generation), but an open under way at that moment still
    /// creates a session of the new generation, which its pool would keep idle for ever; so while retired sources
    /// exist, each such release clears them again (at most one clear at a time).
    /// </summary>
    public void Released()
    {
        if (_retiredCount == 0)
            return;
        Interlocked.Increment(ref _releases);
        if (Interlocked.Exchange(ref _reclearScheduled, 1) != 0)
            return;
        _ = ReclearAsync();
    }

    private async ValueTask RetireAsync(Sources old, TimeSpan connectTimeout)
    {
        lock (_gate)
        {
            _retired.Add(old);
            _retiredCount = _retired.Count;
        }

        await old.DisposeAsync().ConfigureAwait(false);
        _ = ForgetLaterAsync(old, connectTimeout);
    }

    private async Task ReclearAsync()
    {
        while (true)
        {
            // Again while sessions were released during a clear: one returned just after its pool was passed stays idle otherwise.
            int seen;
            do
            {
                seen = Volatile.Read(ref _releases);
                try
                {
                    Sources[] retired;
                    lock (_gate)
                        retired = [.. _retired];
                    foreach (var sources in retired)
                        await sources.DisposeAsync().ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Background clean-up of a retired pool: nothing to report to anyone.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
            while (Volatile.Read(ref _releases) != seen);

            // A release between the last check and this reset found a clear scheduled and left it to us: look once more.
            Interlocked.Exchange(ref _reclearScheduled, 0);
            if (Volatile.Read(ref _releases) == seen || Interlocked.Exchange(ref _reclearScheduled, 1) != 0)
                return;
        }
    }

    /// <summary>
    /// Clears a retired source once more when every open under way at its retirement has surely ended, and stops
    /// watching it then: every session of it still leased is of an older generation than that clear, so the driver
    /// discards it when returned. (Watching longer made every return re-clear for a minute after any retirement.)
    /// </summary>
    private async Task ForgetLaterAsync(Sources old, TimeSpan connectTimeout)
    {
        try
        {
            // The driver's own timeout ends an abandoned open at most a whole second after ours.
            await Task.Delay(connectTimeout + connectTimeout + TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
            await old.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background clean-up of a retired pool: nothing to report to anyone.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        finally
        {
            if (!_disposed)
            {
                lock (_gate)
                {
                    _retired.Remove(old);
                    _retiredCount = _retired.Count;
                }
            }
        }
    }

    /// <summary>
    /// The driver's pool name, which it also sends as the connection's <c>Application Name</c> (the server's process list
    /// shows it) and uses as the <c>pool.name</c> metric attribute: the peer's name, after the application's own
    /// <c>Application Name</c> when the connection string sets one (kept as it is when it already names the peer).
    /// </summary>
    public static string PoolName(string peerName, PeerSettings settings)
    {
        var application = new MySqlConnectionStringBuilder(settings.ConnectionString).ApplicationName;
        if (string.IsNullOrEmpty(application))
            return peerName;
        return application.Contains(peerName, StringComparison.OrdinalIgnoreCase) || application.Contains(settings.ConfigurationKey, StringComparison.OrdinalIgnoreCase)
            ? application
            : $"{application}/{peerName}";
    }

    private Sources Build(PeerSettings settings)
    {
        var name = PoolName(_name, settings);
        return new(Build(settings.ConnectionString, name), Build(settings.ProbeConnectionString, name + " probe"));
    }

    private MySqlDataSource Build(string connectionString, string name)
    {
        var builder = new MySqlDataSourceBuilder(connectionString).UseName(name).UseLoggerFactory(_loggerFactory is null ? null : new Diagnostics.SecretScrubbingLoggerFactory(_loggerFactory));
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
