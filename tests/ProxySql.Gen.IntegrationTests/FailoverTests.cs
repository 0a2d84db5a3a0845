using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.IntegrationTests;

/// <summary>Failover, hedging, all-down and recovery on real MariaDB behind fault-injecting relays.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Killed_peer_under_16_workers_costs_no_open_errors_and_only_statements_in_flight_on_it()
    {
        await using var rig = await PeerRig.StartAsync();
        await using var databases = await rig.CreateDatabasesAsync();
        var workload = rig.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);

        await Eventually.TrueAsync(() => workload.OpensOn(1) >= 200, Deadline, () => rig.Describe(databases));
        var openOnKilledPeer = rig.Relays[1].OpenSessions;
        var inUseOnKilledPeer = databases.Edge2.ConnectionsInUse;
        rig.Relays[1].Mode = RelayMode.Killed;
        var opensAtKill = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens >= opensAtKill + 3000, Deadline, () => rig.Describe(databases));
        await stop.CancelAsync();
        await run;

        output.WriteLine($"kill: {workload.Opens} opens, {workload.OpenFailures.Count} open errors, {workload.StatementFailures.Count} failed statements (peer had {inUseOnKilledPeer} in use, {openOnKilledPeer} sessions), worst open {workload.WorstOpen.TotalMilliseconds:0.0} ms");
        Assert.Empty(workload.OpenFailures);
        Assert.True(workload.StatementFailures.Count <= openOnKilledPeer, $"{workload.StatementFailures.Count} failed statements > {openOnKilledPeer} sessions on the killed peer");
        Assert.Equal(ProxySqlPeerState.Down, databases.Edge2.State);
        Assert.NotNull(databases.Edge2.LastError);
    }

    [Fact]
    public async Task Blackholed_peer_delays_no_open_by_much_more_than_the_hedge_delay()
    {
        await using var rig = await PeerRig.StartAsync();
        rig.Values["ProxySql:ConnectTimeout"] = "3";
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var databases = await rig.CreateDatabasesAsync(loggerFactory);
        var workload = rig.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);

        // Warm every pool, so reuse of a pooled session to the blackholed peer (whose reset hangs) is exercised.
        await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 300), Deadline, () => rig.Describe(databases));
        workload.ResetWorstOpen();
        rig.Relays[1].Mode = RelayMode.Blackholed;
        var blackholedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"{blackholedAt:HH:mm:ss.fff} blackholed");

        // Past the connect timeout: the peer has been marked Down by a timed-out attempt.
        await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Down, Deadline, () => rig.Describe(databases));
        var opensAtDown = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens >= opensAtDown + 2000, Deadline, () => rig.Describe(databases));
        await stop.CancelAsync();
        await run;

        foreach (var record in logs.Collector.GetSnapshot())
            output.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Level} {record.Message}");
        output.WriteLine($"blackhole: Down {(databases.Edge2.Health.UnavailableSince - blackholedAt).TotalMilliseconds:0} ms after the blackhole, {workload.Opens} opens, {workload.OpenFailures.Count} open errors, {workload.StatementFailures.Count} failed statements, worst open {workload.WorstOpen.TotalMilliseconds:0.0} ms (hedge 100 ms, connect timeout 3 s)");
        Assert.Empty(workload.OpenFailures);
        Assert.StartsWith("timeout", databases.Edge2.LastError, StringComparison.Ordinal);

        // Generous bound for 2 busy cores; what matters is that no caller paid the 3 s connect timeout.
        Assert.True(workload.WorstOpen < TimeSpan.FromSeconds(1.5), $"worst open {workload.WorstOpen.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Every_peer_down_gives_the_exception_quickly_with_one_shared_probe()
    {
        await using var rig = await PeerRig.StartAsync();
        await using var databases = await rig.CreateDatabasesAsync();
        await using (await databases.OpenConnectionAsync())
        {
        }

        foreach (var relay in rig.Relays)
            relay.Mode = RelayMode.Killed;
        using var attempts = new AttemptCounter();

        var first = await Assert.ThrowsAsync<ProxySqlUnavailableException>(async () => await databases.OpenConnectionAsync());
        var afterFirst = attempts.Failed;
        var sw = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await databases.OpenConnectionAsync())).ToArray();
        foreach (var caller in callers)
            await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => caller);
        var elapsed = sw.Elapsed;

        output.WriteLine($"all down: first caller {afterFirst} attempts; 16 concurrent callers then cost {attempts.Failed - afterFirst} attempts in {elapsed.TotalMilliseconds:0.0} ms");
        output.WriteLine(first.Message);
        Assert.Equal(3, afterFirst);
        // The one shared probe checks the listener with a bare TCP connect when a probe session to the node existed,
        // so it is at most one driver open.
        Assert.InRange(attempts.Failed - afterFirst, 0, 1);
        Assert.DoesNotContain(rig.Server.AppPassword, first.ToString(), StringComparison.Ordinal);
        foreach (var peer in databases.Peers)
            Assert.Contains($"{peer.Name} [Down, 127.0.0.1:", first.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovered_peer_takes_its_share_of_opens_again_after_the_check_interval()
    {
        await using var rig = await PeerRig.StartAsync();
        rig.Values["ProxySql:CheckInterval"] = "1";
        rig.Values["ProxySql:SlowStartWindow"] = "2";
        rig.Values["ProxySql:Strategy"] = "Random";
        await using var databases = await rig.CreateDatabasesAsync();
        var workload = rig.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);
        await Eventually.TrueAsync(() => workload.Opens >= 1000, Deadline, () => rig.Describe(databases));

        rig.Relays[1].Mode = RelayMode.Killed;
        await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Down, Deadline, () => rig.Describe(databases));
        rig.Relays[1].Mode = RelayMode.Up;
        var sw = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Up, Deadline, () => rig.Describe(databases));
        var recoveredAfter = sw.Elapsed;

        // Slow start: during its 2 s window the recovered peer ramps up from a small share, then gets its full share.
        var rampStart = workload.OpensByPeer();
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        var rampEnd = workload.OpensByPeer();
        var rampShare = (double)(rampEnd[1] - rampStart[1]) / Math.Max(1, rampEnd.Sum() - rampStart.Sum());
        output.WriteLine($"slow start: share of the recovered peer in the first 0.5 s of its 2 s window: {rampShare:P1}");
        Assert.InRange(rampShare, 0, 0.2);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var before = workload.OpensByPeer();
        await Eventually.TrueAsync(() => workload.Opens >= before.Sum() + 3000, Deadline, () => rig.Describe(databases));
        var after = workload.OpensByPeer();
        await stop.CancelAsync();
        await run;

        var share = (double)(after[1] - before[1]) / (after.Sum() - before.Sum());
        output.WriteLine($"recovery: Up {recoveredAfter.TotalMilliseconds:0} ms after the relay came back (check interval 1 s + up to 10% jitter); share of the next {after.Sum() - before.Sum()} opens: {share:P1} (fair share 33.3%)");
        Assert.Empty(workload.OpenFailures);
        Assert.InRange(share, 0.2833, 0.3834);
    }

    [Fact]
    public async Task Wrong_password_on_one_peer_is_reported_as_configuration_while_the_others_serve()
    {
        await using var rig = await PeerRig.StartAsync(strategy: "RoundRobin");
        rig.Values["ProxySql:Peers:Edge2:ConnectionString"] += ";Password=wrong-password-9";
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        await using var databases = await rig.CreateDatabasesAsync(loggerFactory);

        for (var i = 0; i < 300; i++)
        {
            await using var connection = await databases.OpenConnectionAsync();
            Assert.NotEqual(rig.Relays[1].Port, (int)new MySqlConnectionStringBuilder(connection.ConnectionString).Port);
        }

        Assert.Equal(ProxySqlPeerState.Down, databases.Edge2.State);
        Assert.StartsWith("configuration: Access denied", databases.Edge2.LastError, StringComparison.Ordinal);
        var error = Assert.Single(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("configuration error", error.Message, StringComparison.Ordinal);
        Assert.Contains("Edge2", error.Message, StringComparison.Ordinal);
        Assert.All(logs.Collector.GetSnapshot(), r => Assert.DoesNotContain("wrong-password-9", r.Message, StringComparison.Ordinal));
        output.WriteLine(error.Message);
    }

    [Fact]
    public async Task Wrong_password_on_every_peer_surfaces_the_drivers_access_denied_error()
    {
        await using var rig = await PeerRig.StartAsync();
        rig.Values["ProxySql:ConnectionString"] += ";Password=wrong-password-9";
        await using var databases = await rig.CreateDatabasesAsync();

        var first = await Assert.ThrowsAsync<MySqlException>(async () => await databases.OpenConnectionAsync());
        Assert.Equal(1045, first.Number);

        // Later callers find every peer Down on configuration and get the same error from the shared probe.
        var later = await Assert.ThrowsAsync<MySqlException>(async () => await databases.OpenConnectionAsync());
        Assert.Equal(1045, later.Number);
    }

    [Fact]
    public async Task Too_many_connections_on_a_peer_fails_over_and_marks_it_down()
    {
        await using var limited = await MariaDbServer.StartAsync(new MariaDbServerOptions { MaxConnections = 10 });
        await using var rig = await PeerRig.StartAsync(strategy: "Ordered");
        await using var limitedRelay = FaultRelay.Start(limited.EndPoint);
        rig.Values["ProxySql:Peers:Edge1:ConnectionString"] = $"Server=127.0.0.1;Port={limitedRelay.Port};Password={limited.AppPassword}";

        // No hedge on a busy machine: the open must fail over because of the 1040, not because Edge1 was slow.
        rig.Values["ProxySql:HedgeDelay"] = "1.9";
        var hogs = new List<MySqlConnection>();
        try
        {
            // Fill the server until it answers 1040 itself: the rig's own setup connections may still hold slots.
            var unpooled = new MySqlConnectionStringBuilder(limited.ConnectionString) { Pooling = false }.ConnectionString;
            var full = false;
            while (!full && hogs.Count < 20)
            {
                var hog = new MySqlConnection(unpooled);
                try
                {
                    await hog.OpenAsync();
                    hogs.Add(hog);
                }
                catch (MySqlException ex) when (ex.Number == 1040)
                {
                    await hog.DisposeAsync();
                    full = true;
                }
            }

            Assert.True(full, $"max_connections=10 but {hogs.Count} connections opened without error 1040");

            await using var databases = await rig.CreateDatabasesAsync();
            await using var connection = await databases.OpenConnectionAsync();
            Assert.Equal(rig.Relays[1].Port, (int)new MySqlConnectionStringBuilder(connection.ConnectionString).Port);
            Assert.Equal(ProxySqlPeerState.Down, databases.Edge1.State);
            Assert.Equal(ProxySqlPeerStateReason.TooManyConnections, databases.Edge1.StateReason);
            Assert.StartsWith("too-many-connections", databases.Edge1.LastError, StringComparison.Ordinal);
            output.WriteLine(databases.Edge1.LastError);
        }
        finally
        {
            foreach (var hog in hogs)
                await hog.DisposeAsync();
        }
    }
}
