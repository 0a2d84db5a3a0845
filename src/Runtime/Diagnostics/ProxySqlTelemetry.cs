namespace ProxySql;

/// <summary>
/// The names under which ProxySql.Gen reports to OpenTelemetry (and any <c>MeterListener</c> / <c>ActivityListener</c>):
/// the meter, the activity source, every instrument and every attribute. Listed with their meaning in docs/observability.md.
/// </summary>
public static class ProxySqlTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "ProxySql.Gen";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name.</summary>
    public const string ActivitySourceName = "ProxySql.Gen";

    /// <summary>MySqlConnector's own meter and activity source (<c>db.client.connection.*</c> metrics, command spans).</summary>
    public const string MySqlConnectorName = "MySqlConnector";

    /// <summary>Span of one balanced open, from the call to the hand-out or the failure.</summary>
    public const string OpenActivityName = "proxysql.open";

    /// <summary>Counter, <c>{open}</c>: open attempts on one peer; <c>error.type</c> is set on failed ones.</summary>
    public const string Opens = "proxysql.opens";

    /// <summary>Histogram, <c>s</c>: time of an attempt (failed) or of the whole balanced open (succeeded).</summary>
    public const string OpenDuration = "proxysql.open.duration";

    /// <summary>Counter, <c>{failover}</c>: opens that moved on from a peer; <c>error.type</c> says why (<c>slow</c> for a hedge).</summary>
    public const string Failovers = "proxysql.failovers";

    /// <summary>Counter, <c>{event}</c>: a peer left rotation, with <see cref="PeerStateAttribute"/> and <see cref="PeerStateReasonAttribute"/>.</summary>
    public const string MarkDowns = "proxysql.peer.mark_downs";

    /// <summary>Gauge, <c>1</c>: one series per peer and state, 1 for the peer's current state and 0 for the others.</summary>
    public const string PeerState = "proxysql.peer.state";

    /// <summary>Gauge, <c>{connection}</c>: connections handed out on the peer and not closed yet (0 = a draining peer is safe to stop).</summary>
    public const string PeerConnectionsInUse = "proxysql.peer.connections.in_use";

    /// <summary>Attribute: the peer's property name (what logs and errors call it).</summary>
    public const string PeerAttribute = "proxysql.peer";

    /// <summary>Attribute: a peer state in lower case (<c>up</c>, <c>down</c>, <c>draining</c>, <c>disabled</c>, <c>unknown</c>).</summary>
    public const string PeerStateAttribute = "proxysql.peer.state";

    /// <summary>Attribute: a <see cref="ProxySqlPeerStateReason"/> in kebab case (<c>backend-unavailable</c>).</summary>
    public const string PeerStateReasonAttribute = "proxysql.peer.state_reason";

    /// <summary>OpenTelemetry semantic convention: the peer's host.</summary>
    public const string ServerAddressAttribute = "server.address";

    /// <summary>OpenTelemetry semantic convention: the peer's port.</summary>
    public const string ServerPortAttribute = "server.port";

    /// <summary>OpenTelemetry semantic convention: always <c>mysql</c>.</summary>
    public const string DbSystemNameAttribute = "db.system.name";

    /// <summary>OpenTelemetry semantic convention: the failure class, only on failures.</summary>
    public const string ErrorTypeAttribute = "error.type";
}
