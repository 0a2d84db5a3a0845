using System.Diagnostics;
using System.Globalization;
using ProxySql.ReliabilityTests.Infrastructure;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>
/// 64 workers (open → query → close) while a seeded schedule kills, pauses, blackholes and restores the relays, and
/// (Category ProxySql) kills, pauses and takes the backends from real ProxySQL nodes.
/// </summary>
/// <remarks>
/// <para><b>When a peer "could serve".</b> The balancer learns about a fault only by failing on it, and about a
/// recovery only by probing after the check interval. So a peer could serve an open that ran over [start, end] when
/// its relay was Up at every instant of [start − G, end], with G = 2 × driver connect timeout (a straggling attempt
/// started during a blackhole may fail, and mark the peer Down, that late after the restore: a pooled session's reset
/// waits for one timeout and the driver may then dial a new session) + 1.1 × CheckInterval (the retry time with its
/// jitter) + the per-attempt connect timeout (the recovery probe) + 1 s of scheduling slack on 2 busy cores. With the
/// settings here (CheckInterval 1 s, ConnectTimeout 3 s: generous, for 2 cores shared with the other tests) G = 11.1 s. A Paused relay counts as not able to serve: it
/// refuses new sessions, even though its pooled sessions keep working.</para>
/// <para><b>Statement errors.</b> A handed-out connection must answer its statement unless its relay was Killed
/// (sessions reset) or Blackholed (statement times out) at some instant between the start of the open and the end
/// of the statement.</para>
/// </remarks>
public sealed class FlappingUnderLoadTests(ITestOutputHelper output)
{
    private const int Workers = 64;
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DriverConnectTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Grace = (2 * DriverConnectTimeout) + (1.1 * CheckInterval) + ConnectTimeout + TimeSpan.FromSeconds(1);
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Flapping_peers_under_64_workers_cost_no_open_error_while_a_peer_could_serve_and_leak_no_session()
    {
        var seed = ChaosSeed.Resolve();
        output.WriteLine(seed.ToString());
        var chaosLength = ChaosLength();
        using var pools = new PoolGauge();
        // All three relays front one server: sessions held behind a blackhole (the server never hears that the client gave
        // up) must not exhaust its max_connections (151 by default), or the healthy peer answers 1040 and really cannot serve.
        await using var server = await MariaDbServer.StartAsync(new MariaDbServerOptions { MaxConnections = 2000 });
        await using var cluster = RelayCluster.Start(server, server, server);
        await using var databases = cluster.CreateDatabases();
        var workload = ChaosWorkload.Create(databases, cluster);
        var schedule = new ChaosSchedule<RelayMode>(cluster.Peers, RelayMode.Up, [RelayMode.Killed, RelayMode.Paused, RelayMode.Blackholed], seed.NewRandom(), Grace);
        var (chaosTook, upAfter, failures, excusedOpens, excusedStatements) =
            await RunChaosAsync(databases, workload, schedule, cluster.Peers, [RelayMode.Killed, RelayMode.Blackholed], chaosLength, () => cluster.Describe(databases));

        // Nothing leaked: the server holds no more sessions than the pools keep idle plus the probe sessions, and none
        // of the app user after dispose.
        var idle = 0L;
        var serverSessions = -1;
        var afterDispose = -1;
        await SettleAndDisposeAsync(
            databases,
            pools,
            cluster.RunTag,
            failures,
            async () => serverSessions = await ServerSessions.WaitAtMostAsync(server, () => (idle = pools.Count("idle", cluster.RunTag)) + ProbeSessions(databases), SettleDeadline, () => $"Pools: {pools.Describe(cluster.RunTag)}."),
            async () => afterDispose = await ServerSessions.WaitAtMostAsync(server, () => 0, SettleDeadline, () => $"After dispose. Pools: {pools.Describe(cluster.RunTag)}."));

        Conclude(seed, schedule, workload, failures, string.Create(
            CultureInfo.InvariantCulture,
            $"flapping: {Workers} workers, chaos {chaosTook.TotalSeconds:0.0} s, {schedule}; {workload.Summary()}; open errors excused (no peer Up for {Grace.TotalSeconds} s before): {excusedOpens}; statement errors excused (relay killed/blackholed): {excusedStatements}; all peers Up {upAfter.TotalSeconds:0.0} s after the last restore; server sessions {serverSessions} <= pools' idle {idle}; after dispose {afterDispose}"));
    }

    /// <summary>
    /// The same guarantees with three real ProxySQL nodes, the seed choosing among PROXYSQL PAUSE/RESUME, SIGKILL/start and
    /// backends OFFLINE_HARD/ONLINE: no failed open while a node could serve, statement failures only on a node killed or
    /// without backends meanwhile (a paused node keeps its sessions working), no session left at any node after dispose.
    /// </summary>
    [Fact]
    [Trait("Category", "ProxySql")]
    public async Task Flapping_real_proxysql_nodes_under_64_workers_cost_no_open_error_while_a_node_could_serve_and_leave_no_session()
    {
        var seed = ChaosSeed.Resolve();
        output.WriteLine(seed.ToString());
        var chaosLength = ChaosLength();
        using var pools = new PoolGauge();
        await using var server = await MariaDbServer.StartAsync(new MariaDbServerOptions { MaxConnections = 2000 });

        // statements on a node without backends fail 9001 after 2 s instead of 10 s, well inside the 10 s command timeout
        await using var cluster = await NodeCluster.StartAsync(server, TimeSpan.FromSeconds(2));
        await using var databases = cluster.CreateDatabases();
        var workload = cluster.NewWorkload(databases);
        var schedule = new ChaosSchedule<NodeMode>(cluster.Peers, NodeMode.Up, [NodeMode.Killed, NodeMode.Paused, NodeMode.BackendsOff], seed.NewRandom(), Grace);
        var (chaosTook, upAfter, failures, excusedOpens, excusedStatements) =
            await RunChaosAsync(databases, workload, schedule, cluster.Peers, [NodeMode.Killed, NodeMode.BackendsOff], chaosLength, () => cluster.Describe(databases));

        // Nothing leaked: the nodes hold no more client sessions than the pools keep idle plus the probe sessions, and
        // none after dispose.
        var idle = 0L;
        var nodeSessions = -1L;
        var afterDispose = -1L;
        await SettleAndDisposeAsync(
            databases,
            pools,
            cluster.RunTag,
            failures,
            () => Eventually.TrueAsync(
                async () => (nodeSessions = await cluster.ClientSessionsAsync()) <= (idle = pools.Count("idle", cluster.RunTag)) + ProbeSessions(databases),
                SettleDeadline,
                () => $"the nodes hold {nodeSessions} client sessions, the pools {idle} idle: {pools.Describe(cluster.RunTag)}"),
            () => Eventually.TrueAsync(async () => (afterDispose = await cluster.ClientSessionsAsync()) == 0, SettleDeadline, () => $"after dispose the nodes hold {afterDispose} client sessions; {cluster.Describe(databases)}"));

        Conclude(seed, schedule, workload, failures, string.Create(
            CultureInfo.InvariantCulture,
            $"flapping on real ProxySQL: {Workers} workers, chaos {chaosTook.TotalSeconds:0.0} s, {schedule}; {workload.Summary()}; open errors excused (no node Up for {Grace.TotalSeconds} s before): {excusedOpens}; statement errors excused (node killed or without backends): {excusedStatements}; all peers Up {upAfter.TotalSeconds:0.0} s after the last restore; node client sessions {nodeSessions} <= pools' idle {idle}; after dispose {afterDispose}"));
    }

    /// <summary>
    /// Waits until no pool counts a session in use and <paramref name="heldAtMostIdle"/> passes, disposes the databases,
    /// then waits for <paramref name="noneLeft"/>; a wait that times out is a leak in <paramref name="failures"/>.
    /// </summary>
    private static async Task SettleAndDisposeAsync(ChaosDatabases databases, PoolGauge pools, string runTag, List<string> failures, Func<Task> heldAtMostIdle, Func<Task> noneLeft)
    {
        try
        {
            await Eventually.TrueAsync(() => pools.Count("used", runTag) == 0, SettleDeadline, () => pools.Describe(runTag));
            await heldAtMostIdle();
        }
        catch (TimeoutException ex)
        {
            failures.Add("leak: " + ex.Message);
        }

        // Disposing the databases closes what they own.
        await databases.DisposeAsync().AsTask().WaitAsync(SettleDeadline);
        try
        {
            await noneLeft();
        }
        catch (TimeoutException ex)
        {
            failures.Add("leak after dispose: " + ex.Message);
        }
    }

    /// <summary>Writes the report and the first failures, then asserts that there were none and that the run exercised something.</summary>
    private void Conclude<TMode>(ChaosSeed seed, ChaosSchedule<TMode> schedule, Workload workload, List<string> failures, string report)
        where TMode : struct, Enum
    {
        output.WriteLine(report);
        foreach (var failure in failures.Take(20))
            output.WriteLine("FAILURE " + failure);
        Assert.True(failures.Count == 0, $"{seed}\n{report}\n{failures.Count} invariant violations, first ones:\n{string.Join("\n", failures.Take(10))}");
        Assert.True(schedule.TotalFaults > 0 && workload.Opens > 0, $"{seed}: the run exercised nothing: {report}");
    }

    /// <summary>
    /// Runs the workload through <paramref name="schedule"/>'s chaos, waits for every peer to be Up again (the workload
    /// keeps selecting, which is what starts recovery), stops the workload and judges what its callers saw.
    /// </summary>
    private async Task<(TimeSpan ChaosTook, TimeSpan UpAfter, List<string> Failures, int ExcusedOpens, int ExcusedStatements)> RunChaosAsync<TMode>(
        ChaosDatabases databases, Workload workload, ChaosSchedule<TMode> schedule, IReadOnlyList<IFaultTimeline<TMode>> peers, TMode[] breaking, TimeSpan chaosLength, Func<string> describe)
        where TMode : struct, Enum
    {
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Workers, stop.Token);
        var sw = Stopwatch.StartNew();
        await schedule.RunAsync(chaosLength);
        var chaosTook = sw.Elapsed;
        output.WriteLine($"chaos over after {chaosTook.TotalSeconds:0.0} s: {schedule}; {workload.Summary()}");

        var failures = new List<string>();
        try
        {
            await Eventually.TrueAsync(() => databases.Peers.All(p => p.State == ProxySqlPeerState.Up) || workload.Hangs.Count > 0, SettleDeadline, describe);
        }
        catch (TimeoutException ex)
        {
            failures.Add("peers not Up after the last restore: " + ex.Message);
        }

        var upAfter = sw.Elapsed - chaosTook;
        await stop.CancelAsync();
        await run.WaitAsync(ChaosWorkload.Watchdog + TimeSpan.FromSeconds(5));

        var (excusedOpens, excusedStatements) = Judge(workload, peers, RelayCluster.Keys, breaking, failures);
        failures.AddRange(workload.Hangs);
        foreach (var peer in databases.Peers)
        {
            if (peer.ConnectionsInUse != 0)
                failures.Add($"{peer.Name} counts {peer.ConnectionsInUse} connections in use after every worker closed its connection");
        }

        return (chaosTook, upAfter, failures, excusedOpens, excusedStatements);
    }

    /// <summary>
    /// Judges every caller error against the peers' histories: an open may fail only when no peer was Up throughout the
    /// grace window before it and its run; a statement only when its peer was in one of <paramref name="breaking"/> meanwhile.
    /// Adds the violations to <paramref name="failures"/> and returns how many errors were excused.
    /// </summary>
    private static (int Opens, int Statements) Judge<TMode>(Workload workload, IReadOnlyList<IFaultTimeline<TMode>> peers, string[] keys, TMode[] breaking, List<string> failures)
        where TMode : struct, Enum
    {
        var excusedOpens = 0;
        foreach (var failure in workload.OpenFailures)
        {
            var windowStart = failure.Started - (long)(Grace.TotalSeconds * Stopwatch.Frequency);
            var servable = peers.Select((p, i) => (p, i)).Where(x => x.p.History.UpThroughout(windowStart, failure.Ended)).Select(x => keys[x.i]).ToList();
            if (servable.Count == 0)
            {
                excusedOpens++;
                continue;
            }

            failures.Add($"open failed after {Stopwatch.GetElapsedTime(failure.Started, failure.Ended).TotalMilliseconds:0} ms while {string.Join(", ", servable)} could serve (Up since at least {Grace.TotalSeconds} s before): {failure.Error.GetType().Name}: {failure.Error.Message} [peers: {failure.Peers}]");
        }

        var excusedStatements = 0;
        foreach (var failure in workload.StatementFailures)
        {
            if (peers[failure.Peer].History.InAnyDuring(failure.Started, failure.Ended, breaking))
            {
                excusedStatements++;
                continue;
            }

            failures.Add($"a connection handed out on {keys[failure.Peer]} did not work although it was not {string.Join(" or ", breaking)} meanwhile: {failure.Error}");
        }

        return (excusedOpens, excusedStatements);
    }

    /// <summary>~30 s in CI; <c>PROXYSQL_CHAOS_SECONDS</c> runs longer (or shorter) locally.</summary>
    private static TimeSpan ChaosLength() =>
        double.TryParse(Environment.GetEnvironmentVariable("PROXYSQL_CHAOS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);

    /// <summary>At most one kept probe session per enabled peer (see BackgroundProber).</summary>
    private static int ProbeSessions(ProxySqlDatabases databases) => databases.Peers.Count(p => p.Enabled);
}
