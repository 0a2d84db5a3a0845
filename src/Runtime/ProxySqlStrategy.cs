namespace ProxySql;

/// <summary>How the balancer chooses a peer for a new connection among the peers that can serve.</summary>
public enum ProxySqlStrategy
{
    /// <summary>A random peer, weighted by <c>Weight</c> (django-proxysql's algorithm).</summary>
    Random = 0,

    /// <summary>Peers in turn, weighted by <c>Weight</c>.</summary>
    RoundRobin = 1,

    /// <summary>Power of two choices over the connections each peer has in use.</summary>
    LeastConnections = 2,

    /// <summary>The first healthy peer in declaration order (primary / standby).</summary>
    Ordered = 3,

    /// <summary>
    /// The default: power of two weighted random choices, the one with fewer connections in use per unit of weight
    /// wins, ties broken by a decaying average of open latency; a slow or stuck peer loses its traffic before any
    /// probe has seen it fail.
    /// </summary>
    LoadAware = 4,
}
