using System.Diagnostics;
using System.Globalization;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// One node's backends gone (<c>OFFLINE_HARD</c>) while the node itself is up: it accepts, answers COM_PING itself and
/// holds every statement for <c>mysql-connect_timeout_server_max</c> (3 s here) before error 9001. The relay cannot
/// produce this failure. Asserted as issue 12 defines it (the engine's backend-loss detection).
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class BackendLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Node_without_backends_leaves_rotation_as_backend_unavailable_within_a_probe_and_costs_at_most_its_in_flight_statements()
    {
        await using var fleet = await Fleet.StartAsync(RigKind.ProxySql, new FleetOptions { ConnectTimeoutServerMax = TimeSpan.FromSeconds(3) });
        var node = fleet.Nodes[Scenarios.Faulted].RequireNode("backend loss");
        await using var databases = fleet.CreateDatabases();
        var peer = databases.Node2;
        var workload = fleet.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Fleet.Workers, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 200), Scenarios.Deadline, () => fleet.Describe(databases));
            var steadyStart = workload.Snapshot();
            await Eventually.TrueAsync(() => workload.Opens >= steadyStart.Opens + 1000, Scenarios.Deadline, () => fleet.Describe(databases));
            var steady = workload.Snapshot().Since(steadyStart);

            // The fault takes effect somewhere inside the admin round trip (UPDATE, then LOAD ... TO RUNTIME), while the
            // workload keeps going: the work already on the node at that moment is what was there before or right after
            // it, whichever is more: sessions leased, and opens in progress, which are handed out and then run their
            // statement into the fault (unpipelined, the default, a pooled open is two round trips, so at any moment
            // several of the 16 workers are opening). Their statements cannot be saved (statements are never retried).
            var inUseBefore = peer.ConnectionsInUse + peer.Load.Pending;
            var failuresBefore = workload.StatementFailures.Count;
            await node.SetBackendsOnlineAsync(false);
            var inUseAtFault = Math.Max(inUseBefore, peer.ConnectionsInUse + peer.Load.Pending);
            var clock = Stopwatch.StartNew();
            var atFault = workload.Snapshot();
            var detection = Fleet.ProbeInterval + Fleet.ProbeTimeout;
            TimeSpan? outAfter = null;
            try
            {
                await Eventually.TrueAsync(
                    () => peer.State != ProxySqlPeerState.Up && peer.StateReason == ProxySqlPeerStateReason.BackendUnavailable,
                    detection + Scenarios.Slack,
                    () => fleet.Describe(databases));
                outAfter = clock.Elapsed;
            }
            catch (TimeoutException)
            {
                // reported below with the rest of the figures
            }

            // past connect_timeout_server_max: whatever the node held has failed or been answered by now
            await Task.Delay(TimeSpan.FromSeconds(4));
            var window = workload.Snapshot().Since(atFault);
            var stateInWindow = $"{peer.State}/{peer.StateReason}";

            await node.SetBackendsOnlineAsync(true);
            var healed = Stopwatch.StartNew();
            TimeSpan? backAfter = null;
            try
            {
                await Eventually.TrueAsync(() => peer.State == ProxySqlPeerState.Up, Scenarios.Deadline, () => fleet.Describe(databases));
                backAfter = healed.Elapsed;
            }
            catch (TimeoutException)
            {
                // reported below
            }

            await stop.CancelAsync();
            await run.WaitAsync(Scenarios.Deadline);
            var failed = workload.StatementFailures.Count - failuresBefore;
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"backend loss [ProxySql]: {inUseAtFault} sessions in use or opening on the node at the fault ({inUseBefore} before the admin call); peer {stateInWindow} in the window, out of rotation after {(outAfter is { } o ? $"{o.TotalMilliseconds:0} ms" : "never")} (promised {detection.TotalMilliseconds:0} ms); Up {(backAfter is { } b ? $"{b.TotalMilliseconds:0} ms" : "never")} after the heal; caller errors {failed} statements, {workload.OpenFailures.Count} opens [{string.Join(", ", workload.ErrorsByKind().Select(k => $"{k.Key}: {k.Value}"))}]; throughput steady {steady.StatementsPerSecond:0}/s, in the window {window.StatementsPerSecond:0}/s ({(steady.StatementsPerSecond == 0 ? 0 : window.StatementsPerSecond / steady.StatementsPerSecond):0.00}x); {workload.Summary()}"));
            Assert.True(outAfter is not null, $"the node was not taken out of rotation as BackendUnavailable within ProbeInterval + ProbeTimeout ({detection.TotalMilliseconds:0} ms) + slack: {fleet.Describe(databases)}");
            Assert.Empty(workload.OpenFailures);
            // The sessions in use when the fault took effect, plus the few leases the node can still get in the
            // milliseconds before its stall shows (at least 2 ms, ten of its usual gaps between returned leases: at
            // some 2,000 leases/s per node that is ~5 ms, in which rising in-use counts still let a few through; 3
            // were seen once): before load-aware selection saw stalls, every worker ended up on the node (32 errors,
            // 0.003x throughput).
            const int LeasesBeforeTheStallShows = 4;
            Assert.True(failed <= inUseAtFault + LeasesBeforeTheStallShows, $"{failed} caller statement errors > {inUseAtFault} sessions in use or opening on the node at the fault + {LeasesBeforeTheStallShows}");
            Assert.True(backAfter is not null, "the node did not come back Up after its backends did");
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Scenarios.Deadline);
        }
    }
}
