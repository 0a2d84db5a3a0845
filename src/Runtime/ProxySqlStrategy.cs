namespace ProxySql;

/// <summary>How the balancer chooses a peer for a new connection among the peers that can serve.</summary>
public enum ProxySqlStrategy
{
    /// <summary>A random peer, weighted by <c>Weight</c> (the default, as in django-proxysql).</summary>
    Random = 0,

    /// <summary>Peers in turn, weighted by <c>Weight</c>.</summary>
    RoundRobin = 1,

    /// <summary>Power of two choices over the connections each peer has in use.</summary>
    LeastConnections = 2,

    /// <summary>The first healthy peer in declaration order (primary / standby).</summary>
    Ordered = 3,
}
