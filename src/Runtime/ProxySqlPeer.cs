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
    private PeerSettings _settings;
    private int _connectionsInUse;

    internal ProxySqlPeer(Balancer balancer, int index, PeerSettings settings, PeerPool pool)
    {
        _balancer = balancer;
        Index = index;
        _settings = settings;
        Pool = pool;
        _onConnectionStateChange = OnConnectionStateChange;
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

    /// <summary>Counts <paramref name="connection"/> as in use until it closes.</summary>
    internal void TrackInUse(MySqlConnection connection)
    {
        if (Interlocked.Increment(ref _connectionsInUse) == 1)
            Load.FirstInUse(_balancer.Time.GetTimestamp());

        // A cached delegate: a field-like event holding one handler stores it without allocating.
        connection.StateChange += _onConnectionStateChange;
        if (_balancer.Settings.ShutdownSessionsOnMarkDown)
            SessionsInUse.Add(connection);
    }

    private void OnConnectionStateChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState != ConnectionState.Closed)
            return;
        var connection = (MySqlConnection)sender;
        connection.StateChange -= _onConnectionStateChange;
        SessionsInUse.Remove(connection);
        var stillInUse = Interlocked.Decrement(ref _connectionsInUse) > 0;
        Load.Returned(_balancer.Time.GetTimestamp(), _balancer.Time.TimestampFrequency, stillInUse);
        Pool.Released();
        _balancer.OnConnectionReturned(this);
    }
}
