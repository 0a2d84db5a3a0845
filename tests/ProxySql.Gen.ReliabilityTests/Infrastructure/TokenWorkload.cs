using System.Collections.Concurrent;
using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// The shared <see cref="Workload"/> whose work on each connection inserts a unique token and then sleeps a little (so
/// a server that dies cuts statements mid-flight). Each token's outcome is kept, so the test can check on the servers
/// that no statement ran twice (nothing was retried behind the caller's back) and that every acknowledged one is there.
/// </summary>
internal sealed class TokenWorkload
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);
    private readonly ConcurrentQueue<(string Token, int Peer)> _acknowledged = new();
    private readonly Workload _workload;

    public TokenWorkload(ChaosDatabases databases, RelayCluster cluster, string table)
    {
        _workload = Workload.For(databases, () => cluster.Describe(databases), new WorkloadOptions
        {
            Watchdog = Watchdog,
            Work = async (connection, operation) =>
            {
                var token = TokenOf(operation.Worker, operation.Sequence);
                await using var command = new MySqlCommand($"INSERT INTO `{table}` (token, peer) VALUES (@token, @peer); DO SLEEP(0.005);", connection);
                command.Parameters.AddWithValue("@token", token);
                command.Parameters.AddWithValue("@peer", operation.Peer);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
                _acknowledged.Enqueue((token, operation.Peer));
            },
        });
    }

    public IReadOnlyCollection<(string Token, int Peer)> Acknowledged => _acknowledged;

    public IReadOnlyList<(string Token, int Peer, Exception Error)> FailedStatements =>
        [.. _workload.StatementFailures.Select(f => (TokenOf(f.Worker, f.Sequence), f.Peer, f.Error))];

    public IReadOnlyList<Exception> OpenErrors => [.. _workload.OpenFailures.Select(f => f.Error)];

    /// <summary>Opens or statements that outlived the watchdog.</summary>
    public IReadOnlyCollection<string> Hangs => _workload.Hangs;

    public long Opens => _workload.Opens;

    public long OpensOn(int peer) => _workload.OpensOn(peer);

    public Task RunAsync(int workers, CancellationToken stop) => _workload.RunAsync(workers, stop);

    private static string TokenOf(int worker, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{worker}-{sequence}");
}
