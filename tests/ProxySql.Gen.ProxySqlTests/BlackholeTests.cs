using System.Globalization;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// One node's MySQL port blackholed (a relay in front of the real node stops forwarding; on the relay rig, the relay
/// itself): accepted connects that never answer, the failure that costs callers a timeout unless the balancer hedges.
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class BlackholeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RigKind.ProxySql)]
    [InlineData(RigKind.Relay)]
    public async Task Blackholed_node_delays_no_open_by_much_more_than_the_hedge_delay_and_a_normal_open(RigKind kind)
    {
        await using var fleet = await Fleet.StartAsync(kind, new FleetOptions { RelayInFrontOf = Scenarios.Faulted });
        await using var databases = fleet.CreateDatabases();
        var workload = fleet.NewWorkload(databases);
        var node = fleet.Nodes[Scenarios.Faulted];
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Fleet.Workers, stop.Token);
        try
        {
            // warm every pool, so the reuse of a pooled session to the blackholed node is exercised too
            await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 200), Scenarios.Deadline, () => fleet.Describe(databases));
            workload.ResetWorstOpen();
            var steady = workload.Snapshot();
            await Eventually.TrueAsync(() => workload.Opens >= steady.Opens + 1000, Scenarios.Deadline, () => fleet.Describe(databases));
            var normalOpen = workload.WorstOpen;
            workload.ResetWorstOpen();

            await node.BlackholeAsync();
            var opensAtBlackhole = workload.Snapshot();
            await Eventually.TrueAsync(() => databases.Node2.State == ProxySqlPeerState.Down, Scenarios.Deadline, () => fleet.Describe(databases));
            var reason = databases.Node2.StateReason;
            await Eventually.TrueAsync(() => workload.Opens >= opensAtBlackhole.Opens + 2000, Scenarios.Deadline, () => fleet.Describe(databases));
            var window = workload.Snapshot().Since(opensAtBlackhole);
            var worst = workload.WorstOpen;
            await node.UnblackholeAsync();
            await stop.CancelAsync();
            await run.WaitAsync(Scenarios.Deadline);

            var bound = Fleet.HedgeDelay + normalOpen + Scenarios.Slack;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"blackhole [{kind}]: worst normal open {normalOpen.TotalMilliseconds:0} ms; worst open in the blackhole window {worst.TotalMilliseconds:0} ms (hedge {Fleet.HedgeDelay.TotalMilliseconds:0} ms, connect timeout {Fleet.ConnectTimeout.TotalSeconds:0} s); peer Down/{reason}; window {window.Opens} opens, {window.StatementsPerSecond:0} statements/s; {workload.Summary()}"));
            Assert.Empty(workload.OpenFailures);
            Assert.Empty(workload.Hangs);
            Assert.All(workload.StatementFailures, f => Assert.Equal(Scenarios.Faulted, f.Peer));
            Assert.True(worst <= bound, $"worst open {worst.TotalMilliseconds:0} ms > hedge delay + a normal open + slack = {bound.TotalMilliseconds:0} ms");
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Scenarios.Deadline);
        }
    }
}
