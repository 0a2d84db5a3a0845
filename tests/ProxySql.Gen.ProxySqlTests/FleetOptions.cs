namespace ProxySql.ProxySqlTests;

/// <summary>How a <see cref="Fleet"/> is built.</summary>
internal sealed record FleetOptions
{
    /// <summary>TLS on the client leg (<c>mysql-have_ssl=true</c>, the balancer with <c>SslMode=Required</c>). ProxySQL only.</summary>
    public bool Tls { get; init; }

    /// <summary>On real nodes: a fault relay in front of this node (index), so it can be blackholed. The relay rig always has one.</summary>
    public int? RelayInFrontOf { get; init; }

    /// <summary><c>mysql-connect_timeout_server_max</c> of every node: lowered so that a backend loss shows in seconds.</summary>
    public TimeSpan ConnectTimeoutServerMax { get; init; } = TimeSpan.FromSeconds(3);
}
