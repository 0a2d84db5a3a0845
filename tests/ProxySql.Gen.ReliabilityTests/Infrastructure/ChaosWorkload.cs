using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// N workers doing open → <c>SELECT CONNECTION_ID()</c> → close through the balancer, recording for each failure when
/// it started and ended (Stopwatch timestamps) so the test can judge it against the relays' <see cref="ModeTimeline"/>s.
/// Each open and each statement is bounded by a watchdog: one that outlives it is a hang.
/// </summary>
internal sealed class ChaosWorkload(ChaosDatabases databases, RelayCluster cluster)
{
    /// <summary>Far above anything the settings allow (connect timeout 3 s, command timeout 10 s + the driver's cancellation): only a hang reaches it.</summary>
    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<OpenFailure> _openFailures = new();
    private readonly ConcurrentQueue<StatementFailure> _statementFailures = new();
    private readonly ConcurrentQueue<string> _hangs = new();
    private readonly long[] _opensByPeer = new long[cluster.Peers.Count];
    private long _statements;
    private long _worstOpenTicks;

    public IReadOnlyCollection<OpenFailure> OpenFailures => _openFailures;

    public IReadOnlyCollection<StatementFailure> StatementFailures => _statementFailures;

    public IReadOnlyCollection<string> Hangs => _hangs;

    public long Opens => OpensByPeer().Sum();

    public long Statements => Interlocked.Read(ref _statements);

    public TimeSpan WorstOpen => TimeSpan.FromTicks(Interlocked.Read(ref _worstOpenTicks));

    public long[] OpensByPeer() => [.. _opensByPeer.Select((_, i) => Interlocked.Read(ref _opensByPeer[i]))];

    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(stop), CancellationToken.None)));

    public string Summary() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Opens} opens ({string.Join("/", OpensByPeer())} by peer), {Statements} statements ok, {OpenFailures.Count} open errors, {StatementFailures.Count} statement errors, {Hangs.Count} hangs, worst open {WorstOpen.TotalMilliseconds:0} ms");

    private async Task WorkerAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            MySqlConnection connection;
            try
            {
                connection = await databases.OpenConnectionAsync(CancellationToken.None).AsTask().WaitAsync(Watchdog, CancellationToken.None);
            }
            catch (TimeoutException) when (Stopwatch.GetElapsedTime(started) >= Watchdog)
            {
                _hangs.Enqueue($"open did not end within {Watchdog.TotalSeconds} s: {cluster.Describe(databases)}");
                return;
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _openFailures.Enqueue(new OpenFailure(started, Stopwatch.GetTimestamp(), ex, cluster.Describe(databases)));
                continue;
            }

            var elapsed = Stopwatch.GetElapsedTime(started).Ticks;
            for (var worst = Interlocked.Read(ref _worstOpenTicks); elapsed > worst; worst = Interlocked.Read(ref _worstOpenTicks))
            {
                if (Interlocked.CompareExchange(ref _worstOpenTicks, elapsed, worst) == worst)
                    break;
            }

            var peer = cluster.PeerOf(connection);
            Interlocked.Increment(ref _opensByPeer[peer]);
            var statementStarted = Stopwatch.GetTimestamp();
            try
            {
                await using (connection)
                {
                    await using var command = new MySqlCommand("SELECT CONNECTION_ID()", connection);
                    var id = Convert.ToInt64(await command.ExecuteScalarAsync(CancellationToken.None).WaitAsync(Watchdog, CancellationToken.None), CultureInfo.InvariantCulture);
                    if (id <= 0)
                        throw new InvalidOperationException($"CONNECTION_ID() returned {id}");
                }

                Interlocked.Increment(ref _statements);
            }
            catch (TimeoutException) when (Stopwatch.GetElapsedTime(statementStarted) >= Watchdog)
            {
                _hangs.Enqueue($"statement on peer {peer} did not end within {Watchdog.TotalSeconds} s: {cluster.Describe(databases)}");
                return;
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _statementFailures.Enqueue(new StatementFailure(peer, started, Stopwatch.GetTimestamp(), ex));
            }
        }
    }

    /// <summary>An open that threw: when it ran and what the peers looked like when it ended.</summary>
    internal sealed record OpenFailure(long Started, long Ended, Exception Error, string Peers);

    /// <summary>A statement that failed on a handed-out connection of peer <paramref name="Peer"/>; <paramref name="Started"/> is the open's start.</summary>
    internal sealed record StatementFailure(int Peer, long Started, long Ended, Exception Error);
}
