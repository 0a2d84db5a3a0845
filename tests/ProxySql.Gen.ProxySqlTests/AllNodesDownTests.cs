using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>Every node paused or killed: callers get <see cref="ProxySqlUnavailableException"/> quickly, and the balancer recovers.</summary>
[Trait("Category", "ProxySql")]
public sealed class AllNodesDownTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RigKind.ProxySql, "pause")]
    [InlineData(RigKind.ProxySql, "kill")]
    [InlineData(RigKind.Relay, "pause")]
    [InlineData(RigKind.Relay, "kill")]
    public async Task Every_node_down_fails_opens_quickly_with_ProxySqlUnavailableException_then_recovers(RigKind kind, string fault)
    {
        await using var fleet = await Fleet.StartAsync(kind);
        await using var databases = fleet.CreateDatabases();
        for (var i = 0; i < 30; i++)
        {
            await using var warm = await databases.OpenConnectionAsync();
            await using var command = new MySqlCommand("SELECT 1", warm);
            await command.ExecuteScalarAsync();
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(fleet.Nodes.Select(n => fault == "pause" ? n.PauseAsync() : n.KillAsync()));
        var faultTook = clock.Elapsed;

        // The first open after the fault may be the one that finds out, or (paused) get a pooled session that still
        // works: it must end quickly either way.
        var first = Stopwatch.StartNew();
        string firstOutcome;
        try
        {
            await OpenAndQueryAsync();
            firstOutcome = "served";
        }
        catch (Exception ex) when (ex is ProxySqlUnavailableException or MySqlException)
        {
            firstOutcome = Workload.KindOf(ex);
        }

        var firstTook = first.Elapsed;
        await Eventually.TrueAsync(() => databases.Peers.All(p => p.State != ProxySqlPeerState.Up), Scenarios.Deadline, () => fleet.Describe(databases));
        var known = Stopwatch.StartNew();
        var knownError = await Assert.ThrowsAsync<ProxySqlUnavailableException>(OpenAndQueryAsync);
        var knownTook = known.Elapsed;

        await Task.WhenAll(fleet.Nodes.Select(n => fault == "pause" ? n.ResumeAsync() : n.RestartAsync()));
        var recovery = Stopwatch.StartNew();
        var failedWhileRecovering = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await OpenAndQueryAsync();
                    return true;
                }
                catch (ProxySqlUnavailableException)
                {
                    failedWhileRecovering++;
                    return false;
                }
            },
            Scenarios.Deadline,
            () => fleet.Describe(databases));
        var recoveredAfter = recovery.Elapsed;

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"all nodes {fault} [{kind}]: fault applied in {faultTook.TotalMilliseconds:0} ms; first open {firstOutcome} after {firstTook.TotalMilliseconds:0} ms; once every peer is known down an open fails in {knownTook.TotalMilliseconds:0} ms ({knownError.Message}); served again {recoveredAfter.TotalMilliseconds:0} ms after the recovery ({failedWhileRecovering} unavailable meanwhile)"));
        Assert.True(firstTook <= Fleet.ConnectTimeout + Scenarios.Slack, $"the first open took {firstTook.TotalMilliseconds:0} ms");
        Assert.True(knownTook <= Fleet.HedgeDelay + Scenarios.Slack, $"an open with every node known down took {knownTook.TotalMilliseconds:0} ms");
        var promised = (1.1 * Fleet.CheckInterval) + Fleet.ProbeInterval + Fleet.ConnectTimeout + Scenarios.Slack;
        Assert.True(recoveredAfter <= promised, $"served again after {recoveredAfter.TotalMilliseconds:0} ms, more than {promised.TotalMilliseconds:0} ms");

        async Task OpenAndQueryAsync()
        {
            await using var connection = await databases.OpenConnectionAsync();
            await using var command = new MySqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
        }
    }
}
