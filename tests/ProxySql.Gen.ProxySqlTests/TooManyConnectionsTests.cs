using System.Globalization;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// A node at <c>mysql-max_connections</c> answers new clients 1040 in the handshake. (The relay rig has no such
/// limit of its own; ServerFaultTests covers a MariaDB behind a relay answering 1040.)
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class TooManyConnectionsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Node_at_max_connections_is_classified_too_many_connections_and_its_work_fails_over_without_caller_errors()
    {
        await using var fleet = await Fleet.StartAsync(RigKind.ProxySql);
        var node = fleet.Nodes[Scenarios.Faulted].RequireNode("1040");
        await node.SetVariableAsync("mysql-max_connections", "3"); // 16 workers need about 6 sessions per node
        await using var databases = fleet.CreateDatabases();
        var workload = fleet.NewWorkload(databases);
        using var stop = new CancellationTokenSource();
        var seen = new List<string>();
        var sampling = SampleAsync(databases, seen, stop.Token);
        var run = workload.RunAsync(Fleet.Workers, stop.Token);
        try
        {
            await Eventually.TrueAsync(() => workload.Opens >= 3000, Scenarios.Deadline, () => fleet.Describe(databases));
            await stop.CancelAsync();
            await run.WaitAsync(Scenarios.Deadline);
            await sampling;

            var byPeer = workload.OpensByPeer();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"1040 [ProxySql]: mysql-max_connections=3 on Node2; Node2 states seen: {string.Join(", ", seen.Distinct())}; last error {databases.Node2.LastError}; {workload.Summary()}"));
            Assert.Empty(workload.OpenFailures);
            Assert.Empty(workload.StatementFailures);
            Assert.Contains(seen, s => s.EndsWith("/" + nameof(ProxySqlPeerStateReason.TooManyConnections), StringComparison.Ordinal));
            Assert.True(byPeer[0] > 0 && byPeer[2] > 0, $"opens by peer {string.Join("/", byPeer)}");
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Scenarios.Deadline);
        }
    }

    private static async Task SampleAsync(NodeDatabases databases, List<string> seen, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            seen.Add($"{databases.Node2.State}/{databases.Node2.StateReason}");
            try
            {
                await Task.Delay(5, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
