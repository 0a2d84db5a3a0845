namespace ProxySql;

/// <summary>Why a peer is in its <see cref="ProxySqlPeer.State"/>.</summary>
public enum ProxySqlPeerStateReason
{
    /// <summary>Up, or not checked yet.</summary>
    None = 0,

    /// <summary>New connections are refused and no open session proves the node alive (stopped or crashed).</summary>
    Refused = 1,

    /// <summary>A connect or handshake did not finish within the connect timeout (a silent node).</summary>
    Timeout = 2,

    /// <summary>The connection was reset or ended during the handshake, or an open session to it died.</summary>
    ConnectionLost = 3,

    /// <summary>The node answered 1040 Too many connections.</summary>
    TooManyConnections = 4,

    /// <summary>The node accepts and pings, but a probe statement failed with 9001 or did not finish within the probe timeout.</summary>
    BackendUnavailable = 5,

    /// <summary>New connections are refused while an open session still answers: <c>PROXYSQL PAUSE</c>.</summary>
    Paused = 6,

    /// <summary>Credentials or database rejected (1044, 1045, 1049): fix the configuration.</summary>
    Configuration = 7,

    /// <summary><c>Enabled: false</c> in configuration.</summary>
    Disabled = 8,
}
