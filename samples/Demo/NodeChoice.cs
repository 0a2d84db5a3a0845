namespace ProxySql.Demo;

/// <summary>What plays the three ProxySQL nodes (<c>--nodes</c>).</summary>
internal enum NodeChoice
{
    /// <summary>Real ProxySQL when its binary is found, the relays otherwise.</summary>
    Auto,

    /// <summary>Real ProxySQL; the run fails when the binary is missing.</summary>
    ProxySql,

    /// <summary>Fault-injecting relays standing in for ProxySQL.</summary>
    Relay,
}
