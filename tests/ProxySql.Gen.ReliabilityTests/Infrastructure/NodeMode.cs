namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>What chaos does to a real ProxySQL node.</summary>
internal enum NodeMode
{
    Up,

    /// <summary><c>PROXYSQL PAUSE</c>: new sessions refused, open ones keep working.</summary>
    Paused,

    /// <summary>SIGKILL; undone by a start on the same config and datadir.</summary>
    Killed,

    /// <summary>Every backend <c>OFFLINE_HARD</c>: the node accepts and pings, statements fail 9001 after connect_timeout_server_max.</summary>
    BackendsOff,
}
