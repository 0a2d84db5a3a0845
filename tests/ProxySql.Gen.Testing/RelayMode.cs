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

    /// <summary>
    /// The listening socket is closed and every open session is closed the way the kernel closes the sockets of a
    /// killed process: an orderly close (FIN) when nothing is left unread, RST otherwise. A SIGKILLed ProxySQL 2.7
    /// ends its idle client sessions with FIN, so a client sees the end of the stream at its next read.
    /// </summary>
    Killed,

    /// <summary>
    /// New connections are accepted but get nothing, and open sessions stop forwarding in both directions;
    /// nothing is closed: a hung node or a network partition, where clients wait for their timeouts.
    /// </summary>
    Blackholed,
}
