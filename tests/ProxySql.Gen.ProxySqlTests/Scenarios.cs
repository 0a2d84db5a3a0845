using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// The pause and kill scenarios, shared by the plain and the TLS suites: 16 workers through the generated balancer
/// over three nodes while one node (Node2) is faulted, each asserting what a user is promised and printing the figures.
/// </summary>
internal static class Scenarios
{
    public const int Faulted = 1;
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Slack for 2 cores shared with other builds: a bound the scenario states is the promise plus this, never less.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    /// <summary>PAUSE of one node: zero caller errors, the node drains to 0 client sessions, no new session until RESUME, then it serves again.</summary>
    public static Task PauseAsync(RigKind kind, FleetOptions options, ITestOutputHelper output) =>
        UnderLoadAsync(kind, options, async (fleet, databases, workload, stopWorkersAsync) =>
        {
            var node = fleet.Nodes[Faulted];
            var peer = databases.Node2;
            var steady = workload.Snapshot();
            await Eventually.TrueAsync(() => workload.Opens >= steady.Opens + 1000, Deadline, () => fleet.Describe(databases));
            steady = workload.Snapshot().Since(steady);

            var sessionsAtPause = await node.ClientConnectionsAsync();
            var clock = Stopwatch.StartNew();
            await node.PauseAsync();
            var pauseReturned = clock.Elapsed;
            await Eventually.TrueAsync(() => peer.State != ProxySqlPeerState.Up, Deadline, () => fleet.Describe(databases));
            var noticed = clock.Elapsed;
            var stateSeen = $"{peer.State}/{peer.StateReason}";

            // a worker's refused open may mark it Down first; the probe then finds a session that still answers: paused
            var reasonSeen = peer.StateReason;
            try
            {
                await Eventually.TrueAsync(() => peer.StateReason == ProxySqlPeerStateReason.Paused, (4 * Fleet.ProbeInterval) + Slack, () => fleet.Describe(databases));
                reasonSeen = ProxySqlPeerStateReason.Paused;
            }
            catch (TimeoutException)
            {
                reasonSeen = peer.StateReason; // asserted below, after the figures are printed
            }
            await Eventually.TrueAsync(async () => await node.ClientConnectionsAsync() == 0, Deadline, () => fleet.Describe(databases));
            var drained = clock.Elapsed;

            // While paused, and drained: no new session on the node, whatever the workload does.
            var opensOnNodeAtZero = workload.OpensOn(Faulted);
            var opensAtZero = workload.Opens;
            await Eventually.TrueAsync(() => workload.Opens >= opensAtZero + 2000, Deadline, () => fleet.Describe(databases));
            var opensOnNodeWhilePaused = workload.OpensOn(Faulted) - opensOnNodeAtZero;
            var sessionsWhilePaused = await node.ClientConnectionsAsync();

            await node.ResumeAsync();
            var resumedAt = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => peer.State == ProxySqlPeerState.Up, Deadline, () => fleet.Describe(databases));
            var upAfter = resumedAt.Elapsed;
            var afterResume = workload.Snapshot();
            await Eventually.TrueAsync(() => workload.OpensOn(Faulted) >= afterResume.OpensByPeer[Faulted] + 300, Deadline, () => fleet.Describe(databases));
            var regainedAfter = resumedAt.Elapsed;
            var window = workload.Snapshot().Since(afterResume);

            await stopWorkersAsync();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"pause [{kind}{(options.Tls ? ", TLS" : string.Empty)}]: {sessionsAtPause} client sessions on the node at PAUSE; PAUSE returned after {pauseReturned.TotalMilliseconds:0} ms; peer {stateSeen} after {noticed.TotalMilliseconds:0} ms, reason {reasonSeen} after the probes; drain time (Client_Connections_connected 0) {drained.TotalMilliseconds:0} ms; opens on it while paused {opensOnNodeWhilePaused}, sessions {sessionsWhilePaused}; Up {upAfter.TotalMilliseconds:0} ms after RESUME, +300 opens after {regainedAfter.TotalMilliseconds:0} ms, share {window.ShareOf(Faulted):P0} (steady {steady.ShareOf(Faulted):P0}); {workload.Summary()}"));
            Assert.Empty(workload.OpenFailures);
            Assert.Empty(workload.StatementFailures);
            Assert.Empty(workload.Hangs);
            Assert.Equal(0, opensOnNodeWhilePaused);
            Assert.Equal(0, sessionsWhilePaused);

            // the reason (Paused, or Refused when no open session was left to prove the node alive) is printed, not
            // promised: the engine redesign decides it
        });

    /// <summary>
    /// Kill + restart of one node: no failed open; only statements in flight on it fail, with the driver's error; after
    /// the restart it serves again within CheckInterval (plus a probe and slack).
    /// </summary>
    public static Task KillAsync(RigKind kind, FleetOptions options, ITestOutputHelper output) =>
        UnderLoadAsync(kind, options, async (fleet, databases, workload, stopWorkersAsync) =>
        {
            var node = fleet.Nodes[Faulted];
            var peer = databases.Node2;
            workload.ResetWorstOpen();

            // Every session the node holds may be in flight or handed out next: the most statements the kill may cost.
            var sessionsAtKill = await node.ClientConnectionsAsync();
            var inUseAtKill = peer.ConnectionsInUse;
            await node.KillAsync();
            var clock = Stopwatch.StartNew();
            var opensAtKill = workload.Opens;
            await Eventually.TrueAsync(() => workload.Opens >= opensAtKill + 2000, Deadline, () => fleet.Describe(databases));
            var stateWhileDown = $"{peer.State}/{peer.StateReason}";
            var worstWhileDown = workload.WorstOpen;

            var restart = Stopwatch.StartNew();
            await node.RestartAsync();
            var restartTook = restart.Elapsed;
            var opensOnNodeAtRestart = workload.OpensOn(Faulted);
            var restarted = Stopwatch.StartNew();
            await Eventually.TrueAsync(() => workload.OpensOn(Faulted) > opensOnNodeAtRestart, Deadline, () => fleet.Describe(databases));
            var firstOpenAfter = restarted.Elapsed;
            var afterRestart = workload.Snapshot();
            await Eventually.TrueAsync(() => workload.OpensOn(Faulted) >= afterRestart.OpensByPeer[Faulted] + 300, Deadline, () => fleet.Describe(databases));
            var window = workload.Snapshot().Since(afterRestart);

            await stopWorkersAsync();
            var failures = workload.StatementFailures.ToList();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"kill [{kind}{(options.Tls ? ", TLS" : string.Empty)}]: {sessionsAtKill} sessions on the node ({inUseAtKill} in use) at the kill; failed statements {failures.Count} [{string.Join(", ", workload.ErrorsByKind().Select(k => $"{k.Key}: {k.Value}"))}]; peer {stateWhileDown} while down; worst open while down {worstWhileDown.TotalMilliseconds:0} ms; restart took {restartTook.TotalMilliseconds:0} ms; first open on it {firstOpenAfter.TotalMilliseconds:0} ms after the restart; share after {window.ShareOf(Faulted):P0}; {workload.Summary()}"));
            foreach (var failure in failures.Take(3))
                output.WriteLine($"  failed statement: {failure.Error.GetType().Name}: {failure.Error.Message}");
            Assert.Empty(workload.OpenFailures);
            Assert.Empty(workload.Hangs);
            Assert.All(failures, f => Assert.Equal(Faulted, f.Peer));
            Assert.All(failures, f => Assert.IsType<MySqlException>(f.Error));
            Assert.True(failures.Count <= sessionsAtKill, $"{failures.Count} failed statements > {sessionsAtKill} sessions the node held at the kill");
            var promised = (1.1 * Fleet.CheckInterval) + Fleet.ProbeInterval + Fleet.ConnectTimeout + Slack;
            Assert.True(firstOpenAfter <= promised, $"the restarted node served its first open {firstOpenAfter.TotalMilliseconds:0} ms after the restart, more than {promised.TotalMilliseconds:0} ms");
        });

    /// <summary>
    /// Starts the fleet and its balancer, runs <see cref="Fleet.Workers"/> workers until every node has served 200 opens,
    /// then <paramref name="scenario"/> (which may stop the workers early, to judge what they saw); the workers are
    /// stopped whatever happens.
    /// </summary>
    private static async Task UnderLoadAsync(RigKind kind, FleetOptions options, Func<Fleet, NodeDatabases, Workload, Func<Task>, Task> scenario)
    {
        await using var fleet = await Fleet.StartAsync(kind, options);
        await using var databases = fleet.CreateDatabases();
        var workload = fleet.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Fleet.Workers, stop.Token);
        async Task StopWorkersAsync()
        {
            await stop.CancelAsync();
            await run.WaitAsync(Deadline);
        }

        try
        {
            await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 200), Deadline, () => fleet.Describe(databases));
            await scenario(fleet, databases, workload, StopWorkersAsync);
        }
        finally
        {
            await StopWorkersAsync();
        }
    }
}
