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
}

/// <summary>How each scenario maps onto the relay.</summary>
internal static class ScenarioModes
{
    public static RelayMode? FaultMode(this Scenario scenario) => scenario switch
    {
        Scenario.Pause => RelayMode.Paused,
        Scenario.Kill => RelayMode.Killed,
        Scenario.Blackhole => RelayMode.Blackholed,
        _ => null,
    };
}
