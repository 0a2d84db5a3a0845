namespace ProxySql;

/// <summary>
/// Marks a <c>partial class</c> whose <c>partial ProxySqlPeer</c> properties name the ProxySQL peers.
/// The source generator implements the peers, a balancer specialised to them and reflection-free binding
/// from the configuration section <see cref="SectionName"/>.
/// </summary>
/// <remarks>
/// The optional properties are compile-time defaults; configuration values override them. Intervals are
/// written as a <see cref="TimeSpan"/> (<c>"00:00:30"</c>) or as a number of seconds (<c>"30"</c>, <c>"0.25"</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ProxySqlDatabasesAttribute : Attribute
{
    /// <summary>Binds from the configuration section named <paramref name="sectionName"/>.</summary>
    /// <param name="sectionName">The configuration section, e.g. <c>"ProxySql"</c> or <c>"Databases:ProxySql"</c>.</param>
    public ProxySqlDatabasesAttribute(string sectionName = "ProxySql") => SectionName = sectionName;

    /// <summary>The configuration section the peers are bound from.</summary>
    public string SectionName { get; }

    /// <summary>How long a peer that failed stays Down before it is probed again. Default 30 s.</summary>
    public string? CheckInterval { get; set; }

    /// <summary>The connect timeout of one attempt on one peer. Default 2 s.</summary>
    public string? ConnectTimeout { get; set; }

    /// <summary>How long an attempt may run before a second attempt on the next peer starts in parallel.</summary>
    public string? HedgeDelay { get; set; }

    /// <summary>How often each peer is probed in the background with a new, unpooled connection.</summary>
    public string? ProbeInterval { get; set; }

    /// <summary>The selection strategy. Default <see cref="ProxySqlStrategy.LoadAware"/>.</summary>
    public ProxySqlStrategy Strategy { get; set; } = ProxySqlStrategy.LoadAware;

    /// <summary>The one statement a background probe runs; it must reach a backend through ProxySQL. Default <c>SELECT 1</c>.</summary>
    public string? ProbeQuery { get; set; }

    /// <summary>How long a probe statement may take before the peer counts as having lost its backends. Default 1 s.</summary>
    public string? ProbeTimeout { get; set; }

    /// <summary>Extra attempts in flight per open beyond the first, 0 to 63 (0 turns hedging off). Default 1.</summary>
    public int MaxHedgedAttempts { get; set; } = 1;

    /// <summary>How long a peer back Up takes to ramp to its full share; <c>"0"</c> turns slow start off. Default 10 s.</summary>
    public string? SlowStartWindow { get; set; }

    /// <summary>Close sessions in use on a peer marked down for a timeout or backend loss (never for a pause or disable). Default off.</summary>
    public bool ShutdownSessionsOnMarkDown { get; set; }
}
