using System.Collections.Concurrent;
using System.Diagnostics;
using MySqlConnector;

namespace ProxySql.IntegrationTests;

/// <summary>
/// N workers doing open → query → close through the balancer, recording what callers see: open errors,
/// statement errors (the driver's), the worst open latency and which peer served each open.
/// </summary>
internal sealed class Workload
{
    private readonly ThreePeers _databases;
    private readonly int[] _ports;
    private readonly ConcurrentDictionary<string, int> _peerByConnectionString = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Exception> _openErrors = new();
    private readonly ConcurrentQueue<Exception> _statementErrors = new();
    private readonly long[] _opensByPeer = new long[3];
    private long _worstOpenTicks;
    private long _opens;

    public Workload(ThreePeers databases, PeerRig rig)
    {
        _databases = databases;
        _ports = [.. rig.Relays.Select(r => r.Port)];
    }

    public IReadOnlyCollection<Exception> OpenErrors => _openErrors;

    public IReadOnlyCollection<Exception> StatementErrors => _statementErrors;

    public TimeSpan WorstOpen => TimeSpan.FromTicks(Interlocked.Read(ref _worstOpenTicks));

    public long Opens => Interlocked.Read(ref _opens);

    public long OpensOn(int peer) => Interlocked.Read(ref _opensByPeer[peer]);

    /// <summary>Resets the worst open latency (e.g. after warm-up).</summary>
    public void ResetWorstOpen() => Interlocked.Exchange(ref _worstOpenTicks, 0);

    public long[] SnapshotOpensByPeer() => [.. _opensByPeer.Select((_, i) => OpensOn(i))];

    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(stop), CancellationToken.None)));

    /// <summary>The peer whose port the connection uses (a reload may have moved a peer to a new port).</summary>
    private int PeerOf(string connectionString)
    {
        var port = new MySqlConnectionStringBuilder(connectionString).Port;
        for (var i = 0; i < _databases.Peers.Count; i++)
        {
            if (new MySqlConnectionStringBuilder(_databases.Peers[i].Settings.ConnectionString).Port == port)
                return i;
        }

        return Array.IndexOf(_ports, (int)port);
    }

    private async Task WorkerAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            MySqlConnection connection;
            var started = Stopwatch.GetTimestamp();
            try
            {
                connection = await _databases.OpenConnectionAsync(CancellationToken.None);
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _openErrors.Enqueue(ex);
                continue;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).Ticks;
            for (var worst = Interlocked.Read(ref _worstOpenTicks); elapsed > worst; worst = Interlocked.Read(ref _worstOpenTicks))
            {
                if (Interlocked.CompareExchange(ref _worstOpenTicks, elapsed, worst) == worst)
                    break;
            }

            Interlocked.Increment(ref _opens);
            var peer = _peerByConnectionString.GetOrAdd(connection.ConnectionString, PeerOf);
            Interlocked.Increment(ref _opensByPeer[peer]);
            try
            {
                await using (connection)
                {
                    await using var command = new MySqlCommand("SELECT 1", connection);
                    await command.ExecuteScalarAsync(CancellationToken.None);
                }
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _statementErrors.Enqueue(ex);
            }
        }
    }
}
