namespace ProxySql.Core;

/// <summary>Why an attempt to open a connection on a peer failed.</summary>
internal enum FailureKind
{
    /// <summary>The caller cancelled; never held against the peer.</summary>
    Cancelled,

    /// <summary>TCP connection refused (nothing listens, or <c>PROXYSQL PAUSE</c>).</summary>
    Refused,

    /// <summary>The connection was reset.</summary>
    Reset,

    /// <summary>The server closed the stream during the handshake or a pooled session's reset.</summary>
    EndOfStream,

    /// <summary>The attempt did not open within the connect timeout.</summary>
    Timeout,

    /// <summary>MySQL error 1040: too many connections.</summary>
    TooManyConnections,

    /// <summary>ProxySQL error 9001: no backend reachable in the hostgroup.</summary>
    ProxySqlNoBackend,

    /// <summary>Another network failure (host unreachable, name resolution).</summary>
    Unreachable,

    /// <summary>1044 / 1045 / 1049: credentials or database; the peer is reachable but configured wrongly.</summary>
    Configuration,

    /// <summary>A probe found the listener refusing while an open session still answers: <c>PROXYSQL PAUSE</c>.</summary>
    Paused,

    /// <summary>Anything else that prevented the open.</summary>
    Other,
}
