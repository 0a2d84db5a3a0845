using ProxySql.Testing;

namespace ProxySql.FailoverBench;

/// <summary>What happens to the faulted peer in the middle of a run.</summary>
internal enum Scenario
{
    /// <summary>Nothing: the reference run.</summary>
    Steady,

    /// <summary><c>PROXYSQL PAUSE</c>: new connects refused, open sessions keep working.</summary>
    Pause,

    /// <summary>A crash: new connects refused and every open session reset.</summary>
    Kill,

    /// <summary>A hang or partition: connects accepted but nothing flows, nothing closed.</summary>
    Blackhole,

    /// <summary>
    /// Real ProxySQL only: the node's backends <c>OFFLINE_HARD</c>. The node accepts and answers COM_PING itself, but holds
    /// every statement for <c>mysql-connect_timeout_server_max</c> and then fails it with 9001.
    /// </summary>
    BackendLoss,

    /// <summary>Real ProxySQL only: a query rule delays every statement through the node (<see cref="ScenarioModes.SlowDelay"/>).</summary>
    Slow,

    /// <summary>
    /// A crash and a restart, measured after the restart: how many new sessions the recovered node gets in its first
    /// seconds back (what slow start limits).
    /// </summary>
    SlowStart,
}

/// <summary>How each scenario maps onto the relay, and what it needs.</summary>
internal static class ScenarioModes
{
    /// <summary>The per-statement delay of the <see cref="Scenario.Slow"/> node (issue 12 measured with 50 ms).</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The relay mode the fault sets on the faulted peer's relay, on either rig.</summary>
    public static RelayMode? FaultMode(this Scenario scenario) => scenario switch
    {
        Scenario.Pause => RelayMode.Paused,
        Scenario.Kill or Scenario.SlowStart => RelayMode.Killed,
        Scenario.Blackhole => RelayMode.Blackholed,
        _ => null,
    };

    /// <summary>Whether the fault exists only on a real ProxySQL node (the relay cannot produce it).</summary>
    public static bool NeedsProxySql(this Scenario scenario) => scenario is Scenario.BackendLoss or Scenario.Slow;

    /// <summary>What the fault is, for titles.</summary>
    public static string Describe(this Scenario scenario, RigKind rig) => scenario switch
    {
        Scenario.Steady => "no fault",
        Scenario.Pause => rig == RigKind.ProxySql ? "PROXYSQL PAUSE" : "Paused",
        Scenario.Kill => rig == RigKind.ProxySql ? "SIGKILL, restarted at the heal" : "Killed",
        Scenario.Blackhole => "Blackholed (relay in front of the node)",
        Scenario.BackendLoss => "backends OFFLINE_HARD",
        Scenario.Slow => $"query delay {SlowDelay.TotalMilliseconds:0} ms",
        Scenario.SlowStart => rig == RigKind.ProxySql ? "SIGKILL, restarted at the heal (slow start measured after)" : "Killed, Up at the heal (slow start measured after)",
        _ => scenario.ToString(),
    };
}
