using System.Data;
using MySqlConnector;
using ProxySql.Configuration;
using ProxySql.Core;

namespace ProxySql;

/// <summary>
/// One ProxySQL node the balancer can open connections on: its configuration, health and the number of its
/// connections in use. Generated classes expose one per <c>partial ProxySqlPeer</c> property.
/// </summary>
public sealed class ProxySqlPeer
{
    private readonly Balancer _balancer;
    private readonly StateChangeEventHandler _onConnectionStateChange;
    private readonly StateChangeEventHandler[] _onTimedConnectionStateChange;
    private readonly LeaseClocks _leaseClocks = new();
    private PeerSettings _settings;
    private int _connectionsInUse;

    internal ProxySqlPeer(Balancer balancer, int index, PeerSettings settings, PeerPool pool)
    {
        _balancer = balancer;
        Index = index;
        _settings = settings;
        Pool = pool;
        _onConnectionStateChange = OnConnectionStateChange;
        _onTimedConnectionStateChange = new StateChangeEventHandler[LeaseClocks.Capacity];
        for (var slot = 0; slot < LeaseClocks.Capacity; slot++)
        {
            var clock = slot;
            _onTimedConnectionStateChange[slot] = (sender, e) => OnConnectionStateChange(sender, e, clock);
        }
    }

    /// <summary>The property name; what logs, metrics and errors call this peer.</summary>
    public string Name => _settings.Name;

    /// <summary>The key of this peer under the section's <c>Peers</c>.</summary>
    public string ConfigurationKey => _settings.ConfigurationKey;

    /// <summary>The current health: Up, Down, Draining, Disabled, or Unknown until the first check; <see cref="StateReason"/> says why.</summary>
    public ProxySqlPeerState State => _settings.Enabled ? Health.State : ProxySqlPeerState.Disabled;

    /// <summary>The weight of this peer for <see cref="ProxySqlStrategy.Random"/> and <see cref="ProxySqlStrategy.RoundRobin"/>; 0 is a standby.</summary>
    public int Weight => _settings.Weight;

    /// <summary>Whether configuration puts this peer in rotation.</summary>
    public bool Enabled => _settings.Enabled;

    /// <summary>
    /// Connections the balancer handed out on this peer that are not closed yet. When a draining peer reaches 0,
    /// nothing of this application uses it any more.
    /// </summary>
    public int ConnectionsInUse => Volatile.Read(ref _connectionsInUse);

    /// <summary>Why the peer is in its <see cref="State"/>: <see cref="ProxySqlPeerStateReason.None"/> when Up or Unknown.</summary>
    public ProxySqlPeerStateReason StateReason => _settings.Enabled ? Health.Reason : ProxySqlPeerStateReason.Disabled;

    /// <summary>
    /// The last failure seen on this peer (kind and driver message, never a secret), or <see langword="null"/>. It stays
    /// after the peer recovers: it is history, <see cref="LastErrorAt"/> says when, <see cref="State"/> says now.
    /// </summary>
    public string? LastError => Health.LastError;

    /// <summary>When <see cref="LastError"/> happened, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastErrorAt => Health.LastErrorAt;

    internal int Index { get; }

    internal PeerHealth Health { get; } = new();

    internal PeerLoad Load { get; } = new();

    internal PeerPool Pool { get; }

    /// <summary>The connections in use, by node-side session id, while <c>ShutdownSessionsOnMarkDown</c> is on.</summary>
    internal SessionsInUse SessionsInUse { get; } = new();

    internal PeerSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, value);
    }

    /// <summary>
    /// Opens a pooled connection on this peer only, whatever its state (maintenance, diagnostics). The attempt has
    /// the configured connect timeout; its outcome updates this peer's health.
    /// </summary>
    /// <param name="cancellationToken">Cancels the open; never held against the peer.</param>
    /// <returns>An open connection; dispose it to return it to this peer's pool.</returns>
    public ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        _balancer.OpenPinnedAsync(this, cancellationToken);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({State})";

    /// <summary>Counts <paramref name="connection"/> as in use until it closes, and times the lease.</summary>
    internal void TrackInUse(MySqlConnection connection)
    {
        // Cached delegates: a field-like event holding one handler stores it without allocating. A timed lease gets
        // its clock slot's own handler, so its close finds the slot without a lookup.
        var clock = LeaseStarted();
        connection.StateChange += clock < 0 ? _onConnectionStateChange : _onTimedConnectionStateChange[clock];
        if (_balancer.Settings.ShutdownSessionsOnMarkDown)
            SessionsInUse.Add(connection);
    }

    /// <summary>A lease on this peer was handed out: counts it in use and starts its clock; the clock slot, or -1 when none was free.</summary>
    internal int LeaseStarted()
    {
        var now = _balancer.Time.GetTimestamp();
        if (Interlocked.Increment(ref _connectionsInUse) == 1)
            Load.FirstInUse(now);
        return _leaseClocks.Start(now);
    }

    /// <summary>A lease started by <see cref="LeaseStarted"/> with clock slot <paramref name="clock"/> was returned.</summary>
    internal void LeaseEnded(int clock)
    {
        var stillInUse = Interlocked.Decrement(ref _connectionsInUse) > 0;
        var time = _balancer.Time;
        var now = time.GetTimestamp();
        Load.Returned(now, time.TimestampFrequency, stillInUse);
        if (clock >= 0)
            Load.Held(_leaseClocks.Stop(clock), now, time.TimestampFrequency);
        Pool.Released();
        _balancer.OnConnectionReturned(this);
    }

    private void OnConnectionStateChange(object sender, StateChangeEventArgs e) => OnConnectionStateChange(sender, e, -1);

    private void OnConnectionStateChange(object sender, StateChangeEventArgs e, int clock)
    {
        if (e.CurrentState != ConnectionState.Closed)
            return;
        var connection = (MySqlConnection)sender;
        connection.StateChange -= clock < 0 ? _onConnectionStateChange : _onTimedConnectionStateChange[clock];
        SessionsInUse.Remove(connection);
        LeaseEnded(clock);
    }
}
