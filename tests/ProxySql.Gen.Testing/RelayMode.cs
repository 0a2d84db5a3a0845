namespace ProxySql.Testing;

/// <summary>How a <see cref="FaultRelay"/> treats new and open connections.</summary>
public enum RelayMode
{
    /// <summary>Accepts new connections and forwards both ways.</summary>
    Up,

    /// <summary>
    /// The listening socket is closed, so new connects are refused at once (RST), while open sessions
    /// keep working: what <c>PROXYSQL PAUSE</c> does.
    /// </summary>
    Paused,

    /// <summary>The listening socket is closed and every open session is reset (RST): a crashed node.</summary>
    Killed,

    /// <summary>
    /// New connections are accepted but get nothing, and open sessions stop forwarding in both directions;
    /// nothing is closed: a hung node or a network partition, where clients wait for their timeouts.
    /// </summary>
    Blackholed,
}
