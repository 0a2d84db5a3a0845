namespace ProxySql;

/// <summary>The health of one peer as the balancer sees it. <see cref="ProxySqlPeer.StateReason"/> says why.</summary>
public enum ProxySqlPeerState
{
    /// <summary>The peer takes new connections: its last check or open succeeded.</summary>
    Up = 0,

    /// <summary>
    /// The peer cannot serve (refused or timed-out connects, a crash, backends gone, too many connections); no new
    /// leases go to it until a probe succeeds again.
    /// </summary>
    Down = 1,

    /// <summary>
    /// The peer refuses new connections while its open sessions still answer (<c>PROXYSQL PAUSE</c>): a deliberate
    /// maintenance. No new leases go to it; its idle sessions are closed and sessions in use are closed when returned.
    /// </summary>
    Draining = 2,

    /// <summary>The peer is disabled in configuration (<c>Enabled: false</c>).</summary>
    Disabled = 3,

    /// <summary>Not checked yet since the balancer started: the first background probe is under way. Selectable.</summary>
    Unknown = 4,
}
