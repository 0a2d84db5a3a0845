using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.IntegrationTests;

/// <summary>PROXYSQL PAUSE (the relay's Paused mode) and live reloads drain a peer under a pooled 16-worker workload.</summary>
public sealed class DrainingTests(ITestOutputHelper output)
{
    private const double ProbeIntervalSeconds = 0.5;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static async Task<PeerRig> StartRigAsync()
    {
        var rig = await PeerRig.StartAsync();
        rig.Values["ProxySql:ProbeInterval"] = ProbeIntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return rig;
    }

    private void Print(FakeLoggerProvider logs)
    {
        foreach (var record in logs.Collector.GetSnapshot())
            output.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Level} {record.Message}");
    }

    [Fact]
    public async Task Paused_peer_drains_to_zero_sessions_without_caller_errors_and_takes_traffic_after_resume()
    {
        await using var rig = await StartRigAsync();
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var databases = await rig.CreateDatabasesAsync(loggerFactory);
        var workload = rig.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);
        await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 300), Deadline, () => rig.Describe(databases));

        var sessionsAtPause = rig.Relays[1].OpenSessions;
        var pausedAt = Stopwatch.StartNew();
        rig.Relays[1].Mode = RelayMode.Paused;
        await Eventually.TrueAsync(() => databases.Edge2.State != ProxySqlPeerState.Up, Deadline, () => rig.Describe(databases));
        var leasesAtDrain = workload.OpensOn(1);
        var noticedAfter = pausedAt.Elapsed;
        await Eventually.TrueAsync(() => rig.Relays[1].OpenSessions == 0, Deadline, () => rig.Describe(databases));
        var drainedAfter = pausedAt.Elapsed;

        // Keep the workload going a while: the drained peer must get no new lease.
        var opensAtZero = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens >= opensAtZero + 2000, Deadline, () => rig.Describe(databases));
        var leasesAfterDrain = workload.OpensOn(1) - leasesAtDrain;
        var inUseWhenDrained = databases.Edge2.ConnectionsInUse;

        rig.Relays[1].Mode = RelayMode.Up;
        var resumedAt = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Up, Deadline, () => rig.Describe(databases));
        var upAfter = resumedAt.Elapsed;
        var leasesAtResume = workload.OpensOn(1);
        await Eventually.TrueAsync(() => workload.OpensOn(1) >= leasesAtResume + 300, Deadline, () => rig.Describe(databases));
        await stop.CancelAsync();
        await run;

        Print(logs);
        output.WriteLine($"pause: {sessionsAtPause} sessions on the peer at pause; noticed after {noticedAfter.TotalMilliseconds:0} ms; 0 open sessions after {drainedAfter.TotalMilliseconds:0} ms (probe interval {ProbeIntervalSeconds * 1000:0} ms); leases after the drain began: {leasesAfterDrain}; caller errors: {workload.OpenFailures.Count} open, {workload.StatementFailures.Count} statement; Up {upAfter.TotalMilliseconds:0} ms after resume");
        Assert.Empty(workload.OpenFailures);
        Assert.Empty(workload.StatementFailures);
        Assert.Equal(0, inUseWhenDrained);

        // Opens already past selection when the drain began may still complete on it; nothing after.
        Assert.InRange(leasesAfterDrain, 0, 16);
        Assert.True(drainedAfter <= TimeSpan.FromSeconds((2 * ProbeIntervalSeconds) + 1), $"drained after {drainedAfter.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Reload_that_disables_a_peer_drains_it_and_enabling_it_brings_its_traffic_back()
    {
        await using var rig = await StartRigAsync();
        var configuration = rig.BuildConfiguration();
        await using var databases = await rig.CreateDatabasesAsync(configuration);
        var workload = rig.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);
        await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 300), Deadline, () => rig.Describe(databases));

        var disabledAt = Stopwatch.StartNew();
        configuration["ProxySql:Peers:Edge2:Enabled"] = "false";
        configuration.Reload();
        Assert.Equal(ProxySqlPeerState.Disabled, databases.Edge2.State);
        var leasesAtDisable = workload.OpensOn(1);
        await Eventually.TrueAsync(() => rig.Relays[1].OpenSessions == 0, Deadline, () => rig.Describe(databases));
        var drainedAfter = disabledAt.Elapsed;
        var opensAtZero = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens >= opensAtZero + 1000, Deadline, () => rig.Describe(databases));
        var leasesWhileDisabled = workload.OpensOn(1) - leasesAtDisable;

        configuration["ProxySql:Peers:Edge2:Enabled"] = "true";
        configuration.Reload();
        var leasesAtEnable = workload.OpensOn(1);
        await Eventually.TrueAsync(() => workload.OpensOn(1) >= leasesAtEnable + 300, Deadline, () => rig.Describe(databases));
        await stop.CancelAsync();
        await run;

        output.WriteLine($"disable by reload: 0 open sessions after {drainedAfter.TotalMilliseconds:0} ms; leases while disabled {leasesWhileDisabled}; caller errors {workload.OpenFailures.Count} open, {workload.StatementFailures.Count} statement");
        Assert.Empty(workload.OpenFailures);
        Assert.Empty(workload.StatementFailures);
        Assert.InRange(leasesWhileDisabled, 0, 16);
    }

    [Fact]
    public async Task Reload_that_changes_a_peers_port_moves_its_traffic_and_drains_the_old_endpoint()
    {
        await using var rig = await StartRigAsync();
        await using var replacement = FaultRelay.Start(rig.Server.EndPoint);
        var configuration = rig.BuildConfiguration();
        await using var databases = await rig.CreateDatabasesAsync(configuration);
        var workload = rig.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);
        await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 300), Deadline, () => rig.Describe(databases));

        var changedAt = Stopwatch.StartNew();
        configuration["ProxySql:Peers:Edge2:ConnectionString"] = $"Server=127.0.0.1;Port={replacement.Port}";
        configuration.Reload();
        await Eventually.TrueAsync(() => rig.Relays[1].OpenSessions == 0, Deadline, () => rig.Describe(databases));
        var drainedAfter = changedAt.Elapsed;
        await Eventually.TrueAsync(() => replacement.TotalSessions > 0 && workload.Opens > 0, Deadline, () => rig.Describe(databases));
        var opensAtMove = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens >= opensAtMove + 1000, Deadline, () => rig.Describe(databases));
        await stop.CancelAsync();
        await run;

        output.WriteLine($"port change by reload: old endpoint at 0 open sessions after {drainedAfter.TotalMilliseconds:0} ms; new endpoint {replacement.TotalSessions} sessions; caller errors {workload.OpenFailures.Count} open, {workload.StatementFailures.Count} statement");
        Assert.Empty(workload.OpenFailures);
        Assert.Empty(workload.StatementFailures);
        await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Up, Deadline, () => rig.Describe(databases));
        Assert.True(replacement.OpenSessions > 0, rig.Describe(databases));
    }
}
