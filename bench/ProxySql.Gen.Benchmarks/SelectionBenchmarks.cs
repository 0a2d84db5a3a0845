using BenchmarkDotNet.Attributes;
using ProxySql.Core;

namespace ProxySql.Benchmarks;

/// <summary>
/// Choosing a peer for a new connection, on one thread: <c>Engine</c> is the open path's selection (eligibility
/// from each peer's health and settings, then the strategy); <c>Strategy</c> is the pure strategy alone.
/// Three peers, all Up, weights 1/1/1. No connection is opened.
/// </summary>
[BenchmarkCategory("Selection")]
public class SelectionBenchmarks
{
    private const int Peers = 3;
    private readonly PeerSnapshot[] peers = [new(1, 3, 0.001, 1), new(1, 5, 0.002, 1), new(1, 4, 0.001, 1)];
    private SelectionRig? rig;
    private long roundRobin;

    /// <summary>The strategy under test.</summary>
    [Params(ProxySqlStrategy.LoadAware, ProxySqlStrategy.Random, ProxySqlStrategy.RoundRobin, ProxySqlStrategy.LeastConnections, ProxySqlStrategy.Ordered)]
    public ProxySqlStrategy Strategy { get; set; }

    /// <summary>Builds a balancer over three peers that are never connected to.</summary>
    [GlobalSetup]
    public void Setup() => rig = new SelectionRig(Strategy);

    /// <summary>Disposes the balancer.</summary>
    [GlobalCleanup]
    public void Cleanup() => rig?.Dispose();

    /// <summary>The open path's selection.</summary>
    /// <returns>The chosen peer's index.</returns>
    [Benchmark]
    public int Engine() => rig!.SelectOnce();

    /// <summary>The strategy alone over three eligible peers.</summary>
    /// <returns>The chosen peer's index.</returns>
    [Benchmark]
    public int StrategyOnly() =>
        PeerSelector.Select(Strategy, (1UL << Peers) - 1, peers, ref roundRobin, Random.Shared);
}
