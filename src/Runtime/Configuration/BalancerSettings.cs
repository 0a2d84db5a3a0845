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

    /// <summary>Library default: the statement a probe runs on its kept session. ProxySQL forwards it to a backend (checked on 2.7.2).</summary>
    public const string DefaultProbeQuery = "SELECT 1";

    /// <summary>Library default: how long a probe statement may take. Well under ProxySQL's 10 s <c>connect_timeout_server_max</c>.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Library default: extra attempts in flight per open beyond the first.</summary>
    public const int DefaultMaxHedgedAttempts = 1;

    /// <summary>Library default: how long a peer back Up takes to ramp to its full share.</summary>
    public static readonly TimeSpan DefaultSlowStartWindow = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Library default: power of two choices by load with a latency average, not the seed's plain random: with one node
    /// holding every statement 10 s (backends gone), Random fell from 3,275 to 23 ops/s while LeastConnections kept 4,488 (issue 12).
    /// </summary>
    public const ProxySqlStrategy DefaultStrategy = ProxySqlStrategy.LoadAware;

    public required string SectionName { get; init; }

    /// <summary>Run by the background probe on its kept session; must reach a backend through ProxySQL.</summary>
    public string ProbeQuery { get; init; } = DefaultProbeQuery;

    public TimeSpan ProbeTimeout { get; init; } = DefaultProbeTimeout;

    /// <summary>0 turns hedging off.</summary>
    public int MaxHedgedAttempts { get; init; } = DefaultMaxHedgedAttempts;

    /// <summary><see cref="TimeSpan.Zero"/> turns slow start off.</summary>
    public TimeSpan SlowStartWindow { get; init; } = DefaultSlowStartWindow;

    /// <summary>Close sessions in use on a peer declared dead by a timeout or backend loss (never on pause or disable).</summary>
    public bool ShutdownSessionsOnMarkDown { get; init; }

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
