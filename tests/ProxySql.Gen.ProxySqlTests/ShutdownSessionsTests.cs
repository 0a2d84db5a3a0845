using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// <c>ShutdownSessionsOnMarkDown</c> on a real node whose backends are gone: with it on, statements held by the node end
/// with a lost connection once the peer is Down for backend loss; with it off (the default, a second balancer on the same
/// nodes in the same run) they wait out <c>connect_timeout_server_max</c> and end with ProxySQL's 9001. The cut of one
/// balancer does not touch the other's sessions.
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class ShutdownSessionsTests(ITestOutputHelper output)
{
    private const int Held = 3;
    private const int NoBackend = 9001;

    [Fact]
    public async Task Sessions_held_by_a_node_without_backends_are_cut_when_asked_and_wait_for_9001_otherwise()
    {
        // Long enough that a cut (ProbeInterval + ProbeTimeout + a KILL) cannot be mistaken for the node's own 9001.
        await using var fleet = await Fleet.StartAsync(RigKind.ProxySql, new FleetOptions { ConnectTimeoutServerMax = TimeSpan.FromSeconds(8) });
        var node = fleet.Nodes[Scenarios.Faulted].RequireNode("backend loss");
        fleet.Values["ProxySql:ShutdownSessionsOnMarkDown"] = "true";
        await using var cutting = fleet.CreateDatabases();
        fleet.Values["ProxySql:ShutdownSessionsOnMarkDown"] = null;
        await using var waiting = fleet.CreateDatabases();
        await Eventually.TrueAsync(() => cutting.Node2.State == ProxySqlPeerState.Up && waiting.Node2.State == ProxySqlPeerState.Up, Scenarios.Deadline, () => fleet.Describe(cutting));

        var cutConnections = await OpenOnNode2Async(cutting);
        var waitingConnections = await OpenOnNode2Async(waiting);
        try
        {
            await node.SetBackendsOnlineAsync(false);
            var cutStatements = cutConnections.Select(RunHeldStatementAsync).ToArray();
            var waitingStatements = waitingConnections.Select(RunHeldStatementAsync).ToArray();

            var cutOutcomes = await Task.WhenAll(cutStatements).WaitAsync(Scenarios.Deadline);
            var cutState = $"{cutting.Node2.State}/{cutting.Node2.StateReason}";
            var waitingOutcomes = await Task.WhenAll(waitingStatements).WaitAsync(Scenarios.Deadline);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"shutdown sessions [ProxySql]: switch on ({cutState} when its statements ended): {string.Join("; ", cutOutcomes.Select(o => o.Describe()))}; switch off: {string.Join("; ", waitingOutcomes.Select(o => o.Describe()))}"));

            Assert.All(cutOutcomes, o => Assert.True(o.Error is MySqlException { Number: not NoBackend }, $"switch on: a held statement was not cut before the node's own 9001: {o.Describe()}; {fleet.Describe(cutting)}"));
            Assert.Equal(ProxySqlPeerStateReason.BackendUnavailable, cutting.Node2.StateReason);
            Assert.All(waitingOutcomes, o => Assert.True(o.Error is MySqlException { Number: NoBackend }, $"switch off: expected the node's own 9001 after its hold, got {o.Describe()}"));

            // A cut connection is broken, not closed: it counts as in use until its caller disposes it.
            foreach (var connection in cutConnections)
                await connection.DisposeAsync();
            Assert.Equal(0, cutting.Node2.ConnectionsInUse);
        }
        finally
        {
            foreach (var connection in cutConnections.Concat(waitingConnections))
                await connection.DisposeAsync();
            await node.SetBackendsOnlineAsync(true);
        }
    }

    private static async Task<MySqlConnection[]> OpenOnNode2Async(NodeDatabases databases)
    {
        var connections = new MySqlConnection[Held];
        for (var i = 0; i < Held; i++)
            connections[i] = await databases.Node2.OpenConnectionAsync();
        return connections;
    }

    private static async Task<Outcome> RunHeldStatementAsync(MySqlConnection connection)
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            await using var command = new MySqlCommand("SELECT 1", connection) { CommandTimeout = 60 };
            await command.ExecuteScalarAsync();
            return new Outcome(null, TimeProvider.System.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
        {
            return new Outcome(ex, TimeProvider.System.GetElapsedTime(started));
        }
    }

    private sealed record Outcome(Exception? Error, TimeSpan Elapsed)
    {
        public string Describe() => string.Create(
            CultureInfo.InvariantCulture,
            $"{(Error is null ? "succeeded" : $"{Error.GetType().Name} {(Error as MySqlException)?.Number}: {Error.Message}")} after {Elapsed.TotalMilliseconds:0} ms");
    }
}
