namespace ProxySql.Configuration;

/// <summary>The bound, validated configuration of one balancer. Immutable: a reload swaps the whole value.</summary>
internal sealed record BalancerSettings
{
    /// <summary>Library default: how long a failed peer is skipped (django-proxysql retries a dead node after 30 s).</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>Library default: one attempt's connect timeout. Allows one TCP SYN retransmission (1 s) and a handshake.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Library default: when to start a parallel attempt on the next peer. Far above a healthy open (well under 10 ms).</summary>
    public static readonly TimeSpan DefaultHedgeDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Library default: how often each peer is probed in the background with an unpooled connection.</summary>
    public static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromSeconds(2);

    public required string SectionName { get; init; }

    public required TimeSpan CheckInterval { get; init; }

    public required TimeSpan ConnectTimeout { get; init; }

    public required TimeSpan HedgeDelay { get; init; }

    public required TimeSpan ProbeInterval { get; init; }

    public required ProxySqlStrategy Strategy { get; init; }

    /// <summary>The shared connection string without secrets, for <c>DbDataSource.ConnectionString</c>.</summary>
    public required string RedactedConnectionString { get; init; }

    /// <summary>In declaration order.</summary>
    public required IReadOnlyList<PeerSettings> Peers { get; init; }
}
