namespace ProxySql.Demo;

/// <summary>
/// A node as the node itself reports it: what it is doing, and the client sessions it holds. For a real ProxySQL
/// node these come from its admin interface (<c>stats_mysql_global</c>); for a relay from its own counters.
/// </summary>
/// <param name="Condition">What the node is doing: up, paused, stopped, killed, starting, no backends, ...</param>
/// <param name="Sessions">Client sessions open at the node (<c>Client_Connections_connected</c>), or <see langword="null"/> when it cannot say (not running).</param>
/// <param name="ListenerPaused">Whether the node reports its listener paused (<c>mysql_listener_paused</c>), or <see langword="null"/> when it cannot say.</param>
internal readonly record struct NodeStatus(NodeCondition Condition, int? Sessions, bool? ListenerPaused);

/// <summary>What a node is doing, as the demo drives it.</summary>
internal enum NodeCondition
{
    /// <summary>Serving.</summary>
    Up,

    /// <summary>New connects refused, open sessions go on (<c>PROXYSQL PAUSE</c>).</summary>
    Paused,

    /// <summary>Stopped on purpose (maintenance).</summary>
    Stopped,

    /// <summary>Crashed (SIGKILL): every session reset.</summary>
    Killed,

    /// <summary>Started, not answering yet.</summary>
    Starting,

    /// <summary>Connects accepted, nothing answered (relay only).</summary>
    Blackholed,

    /// <summary>Up and accepting, but its MySQL servers are gone (<c>OFFLINE_HARD</c>): statements wait and fail with 9001.</summary>
    NoBackends,
}
