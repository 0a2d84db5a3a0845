namespace ProxySql.FailoverBench;

/// <summary>Everything recorded in one run of one balancer in one scenario.</summary>
internal sealed record RunResult(
    Scenario Scenario,
    string Balancer,
    string Key,
    long MeasuredTicks,
    long FaultAtTicks,
    long HealAtTicks,
    IReadOnlyList<OpSample> Samples,
    IReadOnlyList<RelaySample> RelaySamples,
    IReadOnlyDictionary<string, int> Errors,
    int HungWorkers)
{
    /// <summary>Which interleaved round of the scenario this run was (0-based).</summary>
    public int Round { get; init; }

    /// <summary>When the fault verb returned (PROXYSQL PAUSE takes 1–2 s), ticks from the measured window's start.</summary>
    public long FaultDoneTicks { get; init; }

    /// <summary>When the heal verb returned (a killed node restarted and answering), ticks from the measured window's start.</summary>
    public long HealDoneTicks { get; init; }

    /// <summary>Ours only: sessions in use on the faulted peer when the fault started (the most the balancer's own sampling saw
    /// just before and after the fault verb), or <see langword="null"/> for balancers without that view.</summary>
    public int? InUseAtFault { get; init; }

    /// <summary>The whole process's CPU time over the measured window (balancer, workers, and the relays, which forward the same bytes for every balancer).</summary>
    public TimeSpan ClientCpu { get; init; }

    /// <summary>Bytes the whole process allocated over the measured window.</summary>
    public long AllocatedBytes { get; init; }
}
