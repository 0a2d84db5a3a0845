using System.Collections.Concurrent;
using System.Globalization;
using MySqlConnector;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Workers doing open → one statement that inserts a unique token and then sleeps a little (so a server that dies
/// cuts statements mid-flight) → close. Each token's outcome is kept, so the test can check on the servers that no
/// statement ran twice (nothing was retried behind the caller's back) and that every acknowledged one is there.
/// </summary>
internal sealed class TokenWorkload(ChaosDatabases databases, RelayCluster cluster, string table)
{
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);
    private readonly ConcurrentQueue<(string Token, int Peer)> _acknowledged = new();
    private readonly ConcurrentQueue<(string Token, int Peer, Exception Error)> _failedStatements = new();
    private readonly ConcurrentQueue<Exception> _openErrors = new();
    private readonly long[] _opensByPeer = new long[cluster.Peers.Count];

    public IReadOnlyCollection<(string Token, int Peer)> Acknowledged => _acknowledged;

    public IReadOnlyCollection<(string Token, int Peer, Exception Error)> FailedStatements => _failedStatements;

    public IReadOnlyCollection<Exception> OpenErrors => _openErrors;

    public long OpensOn(int peer) => Interlocked.Read(ref _opensByPeer[peer]);

    public long Opens => Enumerable.Range(0, _opensByPeer.Length).Sum(OpensOn);

    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, stop), CancellationToken.None)));

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            MySqlConnection connection;
            try
            {
                connection = await databases.OpenConnectionAsync(CancellationToken.None).AsTask().WaitAsync(Watchdog, CancellationToken.None);
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _openErrors.Enqueue(ex);
                continue;
            }

            var peer = cluster.PeerOf(connection);
            Interlocked.Increment(ref _opensByPeer[peer]);
            var token = string.Create(CultureInfo.InvariantCulture, $"{worker}-{sequence}");
            try
            {
                await using (connection)
                {
                    await using var command = new MySqlCommand($"INSERT INTO `{table}` (token, peer) VALUES (@token, @peer); DO SLEEP(0.005);", connection);
                    command.Parameters.AddWithValue("@token", token);
                    command.Parameters.AddWithValue("@peer", peer);
                    await command.ExecuteNonQueryAsync(CancellationToken.None).WaitAsync(Watchdog, CancellationToken.None);
                }

                _acknowledged.Enqueue((token, peer));
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _failedStatements.Enqueue((token, peer, ex));
            }
        }
    }
}
