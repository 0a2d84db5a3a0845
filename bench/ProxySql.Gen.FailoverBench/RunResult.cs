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
    int HungWorkers);
