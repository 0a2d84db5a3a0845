namespace ProxySql;

/// <summary>The health of one peer as the balancer sees it.</summary>
public enum ProxySqlPeerState
{
    /// <summary>The peer takes new connections.</summary>
    Up = 0,

    /// <summary>The peer refused or failed a connection; it is retried after the check interval.</summary>
    Down = 1,

    /// <summary>The peer refuses new connections but still serves open sessions (<c>PROXYSQL PAUSE</c>); no new leases go to it.</summary>
    Draining = 2,

    /// <summary>The peer is disabled in configuration (<c>Enabled: false</c>).</summary>
    Disabled = 3,
}
