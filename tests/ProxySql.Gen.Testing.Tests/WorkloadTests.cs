using MySqlConnector;

namespace ProxySql.Testing.Tests;

public sealed class WorkloadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Counts_opens_per_peer_and_classifies_caller_errors_by_kind()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        await using FaultRelay first = FaultRelay.Start(server.EndPoint);
        await using FaultRelay second = FaultRelay.Start(server.EndPoint);
        FaultRelay[] relays = [first, second];
        int next = 0;
        var workload = new Workload(
            async cancellationToken =>
            {
                // alternate the peers the way a round-robin caller would
                FaultRelay relay = relays[Interlocked.Increment(ref next) % relays.Length];
                var builder = new MySqlConnectionStringBuilder(relay.ConnectionStringFor(server.ConnectionString)) { ConnectionTimeout = 2, Pooling = false }; // every open dials: a paused relay refuses it
                var connection = new MySqlConnection(builder.ConnectionString);
                try
                {
                    await connection.OpenAsync(cancellationToken);
                    return connection;
                }
                catch
                {
                    await connection.DisposeAsync();
                    throw;
                }
            },
            connection => Array.FindIndex(relays, r => r.Port == (int)new MySqlConnectionStringBuilder(connection.ConnectionString).Port),
            peerCount: 2);
        using var stop = new CancellationTokenSource();
        Task run = workload.RunAsync(4, stop.Token);
        await Eventually.TrueAsync(() => workload.OpensOn(0) >= 20 && workload.OpensOn(1) >= 20, Deadline, workload.Summary);
        WorkloadSnapshot beforeFault = workload.Snapshot();

        second.Mode = RelayMode.Paused;
        await Eventually.TrueAsync(() => workload.OpenFailures.Count >= 5, Deadline, workload.Summary);
        await stop.CancelAsync();
        await run;

        WorkloadSnapshot window = workload.Snapshot().Since(beforeFault);
        Assert.True(window.OpenFailures >= 5, workload.Summary());
        Assert.All(workload.OpenFailures, f => Assert.Equal(-1, f.Peer));
        Assert.True(workload.ErrorsByKind().TryGetValue("open MySqlException 1042", out int refused) && refused == workload.OpenFailures.Count, workload.Summary());
        Assert.Equal(workload.Opens, workload.Statements + workload.StatementFailures.Count);
        Assert.True(workload.WorstOpen > TimeSpan.Zero);
        Assert.Empty(workload.Hangs);
        Assert.Contains("open MySqlException 1042", workload.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hands_every_finished_operation_to_the_completion_hook_with_ordered_stage_times()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        var completions = new System.Collections.Concurrent.ConcurrentQueue<WorkloadCompletion>();
        var workload = new Workload(
            async cancellationToken =>
            {
                var connection = new MySqlConnection(server.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                return connection;
            },
            static _ => 0,
            peerCount: 1,
            options: new WorkloadOptions
            {
                Watchdog = Timeout.InfiniteTimeSpan,
                Work = static async (connection, operation) =>
                {
                    using var command = new MySqlCommand(operation.Sequence % 3 == 2 ? "SELECT no_such_column" : "SELECT 1", connection);
                    await command.ExecuteScalarAsync();
                },
                OnCompleted = completions.Enqueue,
            });
        using var stop = new CancellationTokenSource();
        Task run = workload.RunAsync(2, stop.Token);
        await Eventually.TrueAsync(() => workload.Statements >= 20 && workload.StatementFailures.Count >= 5, Deadline, workload.Summary);
        await stop.CancelAsync();
        await run;

        Assert.Equal(0, workload.ActiveWorkers);
        Assert.Equal(workload.Opens + workload.OpenFailures.Count, completions.Count);
        Assert.All(completions, c => Assert.True(c.Started <= c.Opened && c.Opened <= c.Ended, c.ToString()));
        Assert.Equal(workload.StatementFailures.Count, completions.Count(c => c.StatementFailed));
        Assert.All(completions.Where(c => c.StatementFailed), c => Assert.Equal(2, c.Sequence % 3));
        Assert.Equal(workload.Statements, completions.Count(c => c.Error is null && c.Peer == 0));
    }
}
