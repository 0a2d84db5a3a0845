using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace ProxySql.Testing;

/// <summary>
/// N workers doing open → one statement (or <see cref="WorkloadOptions.Work"/>) → close through a balancer, recording
/// what callers see: every open and statement failure with when it ran (Stopwatch timestamps, to judge it against a
/// fault timeline), errors by kind, opens per peer, the worst open latency, and hangs (an open or statement that
/// outlived the watchdog). The one such loop of the tests, the benchmarks and the demo.
/// </summary>
/// <remarks>
/// <see cref="For"/> runs it over a balancer, asking the balancer which peer served each connection
/// (<see cref="ProxySqlDatabases.PeerOf"/>). The constructor knows the balancer only through two delegates, so it
/// serves the plain driver too.
/// </remarks>
public sealed class Workload
{
    private readonly Func<CancellationToken, ValueTask<MySqlConnection>> open;
    private readonly Func<MySqlConnection, int> peerOf;
    private readonly Func<string> describe;
    private readonly WorkloadOptions options;
    private readonly ConcurrentQueue<WorkloadFailure> openFailures = new();
    private readonly ConcurrentQueue<WorkloadFailure> statementFailures = new();
    private readonly ConcurrentQueue<string> hangs = new();
    private readonly ConcurrentDictionary<string, int> errorsByKind = new(StringComparer.Ordinal);
    private readonly long[] opensByPeer;
    private long statements;
    private int activeWorkers;
    private long worstOpenTicks;

    /// <summary>Creates a workload; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <param name="open">Opens a connection the way a caller would (e.g. <c>databases.OpenConnectionAsync</c>).</param>
    /// <param name="peerOf">The index (0 ≤ i &lt; <paramref name="peerCount"/>) of the peer a handed-out connection belongs to.</param>
    /// <param name="peerCount">How many peers there are.</param>
    /// <param name="describe">Describes the peers' state, for failure records; <see langword="null"/> for none.</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    public Workload(
        Func<CancellationToken, ValueTask<MySqlConnection>> open,
        Func<MySqlConnection, int> peerOf,
        int peerCount,
        Func<string>? describe = null,
        WorkloadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(peerOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(peerCount, 1);
        this.open = open;
        this.peerOf = peerOf;
        this.describe = describe ?? (() => string.Empty);
        this.options = options ?? new WorkloadOptions();
        opensByPeer = new long[peerCount];
    }

    /// <summary>A workload over <paramref name="databases"/>: opens with its <c>OpenConnectionAsync</c>, peers as in its <c>Peers</c>.</summary>
    /// <param name="databases">The balancer.</param>
    /// <param name="describe">Describes the peers' state, for failure records; <see langword="null"/> for the balancer's own view.</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The workload; nothing runs until <see cref="RunAsync"/>.</returns>
    public static Workload For(ProxySqlDatabases databases, Func<string>? describe = null, WorkloadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(databases);

        // one look-up per connection string: the balancer hands out a few distinct ones (one per peer and pool)
        var peerByConnectionString = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        return new Workload(
            databases.OpenConnectionAsync,
            connection => peerByConnectionString.GetOrAdd(connection.ConnectionString, static (_, state) => PeerIndex(state.databases, state.connection), (databases, connection)),
            databases.Peers.Count,
            describe ?? (() => string.Join("; ", databases.Peers.Select(p => $"{p.Name} {p.State} inUse={p.ConnectionsInUse} lastError={p.LastError}"))),
            options);
    }

    /// <summary>The index in <see cref="ProxySqlDatabases.Peers"/> of the peer that served <paramref name="connection"/>.</summary>
    /// <param name="databases">The balancer.</param>
    /// <param name="connection">A connection it handed out.</param>
    /// <returns>The peer's index.</returns>
    /// <exception cref="InvalidOperationException">No peer of <paramref name="databases"/> has the connection's endpoint.</exception>
    public static int PeerIndex(ProxySqlDatabases databases, MySqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(connection);
        ProxySqlPeer? peer = databases.PeerOf(connection);
        for (int i = 0; peer is not null && i < databases.Peers.Count; i++)
        {
            if (ReferenceEquals(databases.Peers[i], peer))
            {
                return i;
            }
        }

        var endpoint = new MySqlConnectionStringBuilder(connection.ConnectionString);
        throw new InvalidOperationException($"A connection to {endpoint.Server}:{endpoint.Port} belongs to no peer of {databases.GetType().Name}.");
    }

    /// <summary>Opens that threw, in the order they ended.</summary>
    public IReadOnlyCollection<WorkloadFailure> OpenFailures => openFailures;

    /// <summary>Statements that failed on a handed-out connection (or whose close failed).</summary>
    public IReadOnlyCollection<WorkloadFailure> StatementFailures => statementFailures;

    /// <summary>Opens or statements that outlived <see cref="WorkloadOptions.Watchdog"/>; that worker stopped.</summary>
    public IReadOnlyCollection<string> Hangs => hangs;

    /// <summary>Workers running now: after <see cref="RunAsync"/>'s stop, those still inside an operation (e.g. hung without a watchdog).</summary>
    public int ActiveWorkers => Volatile.Read(ref activeWorkers);

    /// <summary>Successful opens.</summary>
    public long Opens => OpensByPeer().Sum();

    /// <summary>Statements that succeeded.</summary>
    public long Statements => Interlocked.Read(ref statements);

    /// <summary>The slowest successful open since the start or the last <see cref="ResetWorstOpen"/>.</summary>
    public TimeSpan WorstOpen => TimeSpan.FromTicks(Interlocked.Read(ref worstOpenTicks));

    /// <summary>Caller errors by kind ("open ProxySqlUnavailableException", "statement MySqlException 9001", ...).</summary>
    /// <returns>A copy of the counts.</returns>
    public IReadOnlyDictionary<string, int> ErrorsByKind() => new SortedDictionary<string, int>(errorsByKind, StringComparer.Ordinal);

    /// <summary>Successful opens by peer index.</summary>
    /// <returns>A copy of the counts.</returns>
    public long[] OpensByPeer() => [.. opensByPeer.Select((_, i) => Interlocked.Read(ref opensByPeer[i]))];

    /// <summary>Successful opens on one peer.</summary>
    /// <param name="peer">The peer index.</param>
    /// <returns>The count.</returns>
    public long OpensOn(int peer) => Interlocked.Read(ref opensByPeer[peer]);

    /// <summary>Forgets the worst open latency (e.g. after warm-up, or at the start of a fault window).</summary>
    public void ResetWorstOpen() => Interlocked.Exchange(ref worstOpenTicks, 0);

    /// <summary>The counters now, to subtract from a later snapshot for one window's figures.</summary>
    /// <returns>The snapshot.</returns>
    public WorkloadSnapshot Snapshot() => new(Stopwatch.GetTimestamp(), OpensByPeer(), Statements, openFailures.Count, statementFailures.Count);

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="stop"/> is cancelled; each finishes its current operation.</summary>
    /// <param name="workers">How many concurrent callers.</param>
    /// <param name="stop">Stops the workers.</param>
    /// <returns>A task that completes when every worker has stopped.</returns>
    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => WorkerAsync(worker, stop), CancellationToken.None)));

    /// <summary>One line with every figure.</summary>
    /// <returns>The summary.</returns>
    public string Summary()
    {
        IReadOnlyDictionary<string, int> kinds = ErrorsByKind();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Opens} opens ({string.Join("/", OpensByPeer())} by peer), {Statements} statements ok, {OpenFailures.Count} open errors, {StatementFailures.Count} statement errors{(kinds.Count == 0 ? string.Empty : " [" + string.Join(", ", kinds.Select(k => $"{k.Key}: {k.Value}")) + "]")}, {Hangs.Count} hangs, worst open {WorstOpen.TotalMilliseconds:0} ms");
    }

    /// <summary>A short name for the kind of a caller error: the type and, for driver errors, the server error number.</summary>
    /// <param name="error">The error.</param>
    /// <returns>E.g. <c>MySqlException 1042</c>.</returns>
    public static string KindOf(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        // client-side driver errors (a reset, an end of stream) have no server number: name their code instead
        return error is MySqlException mysql
            ? string.Create(CultureInfo.InvariantCulture, $"{error.GetType().Name} {(mysql.Number != 0 ? mysql.Number.ToString(CultureInfo.InvariantCulture) : mysql.ErrorCode.ToString())}")
            : error.GetType().Name;
    }

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        Interlocked.Increment(ref activeWorkers);
        try
        {
            await WorkUntilStoppedAsync(worker, stop).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref activeWorkers);
        }
    }

    private async Task WorkUntilStoppedAsync(int worker, CancellationToken stop)
    {
        Action<WorkloadCompletion>? completed = options.OnCompleted;
        bool watched = options.Watchdog != Timeout.InfiniteTimeSpan;
        for (long sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            long started = Stopwatch.GetTimestamp();
            MySqlConnection connection;
            try
            {
                // without a watchdog, await the open itself: no Task, no timer per operation
                connection = watched
                    ? await open(CancellationToken.None).AsTask().WaitAsync(options.Watchdog, CancellationToken.None).ConfigureAwait(false)
                    : await open(CancellationToken.None).ConfigureAwait(false);
            }
            catch (TimeoutException) when (OutlivedWatchdog(started))
            {
                hangs.Enqueue($"open did not end within {options.Watchdog.TotalSeconds} s: {describe()}");
                return;
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                long failed = Stopwatch.GetTimestamp();
                await FailedAsync(openFailures, "open", new WorkloadCompletion(worker, sequence, -1, started, failed, failed, ex), options.PauseAfterFailedOpen).ConfigureAwait(false);
                continue;
            }

            long opened = Stopwatch.GetTimestamp();
            long elapsed = Stopwatch.GetElapsedTime(started, opened).Ticks;
            for (long worst = Interlocked.Read(ref worstOpenTicks); elapsed > worst; worst = Interlocked.Read(ref worstOpenTicks))
            {
                if (Interlocked.CompareExchange(ref worstOpenTicks, elapsed, worst) == worst)
                {
                    break;
                }
            }

            int peer = peerOf(connection);
            Interlocked.Increment(ref opensByPeer[peer]);
            try
            {
                await using (connection.ConfigureAwait(false))
                {
                    Task work = options.Work is { } custom ? custom(connection, new WorkloadOperation(worker, sequence, peer)) : RunStatementAsync(connection);
                    await (watched ? work.WaitAsync(options.Watchdog, CancellationToken.None) : work).ConfigureAwait(false);
                }

                Interlocked.Increment(ref statements);
                completed?.Invoke(new WorkloadCompletion(worker, sequence, peer, started, opened, Stopwatch.GetTimestamp(), null));
            }
            catch (TimeoutException) when (OutlivedWatchdog(opened))
            {
                hangs.Enqueue($"statement on peer {peer} did not end within {options.Watchdog.TotalSeconds} s: {describe()}");
                return;
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await FailedAsync(statementFailures, "statement", new WorkloadCompletion(worker, sequence, peer, started, opened, Stopwatch.GetTimestamp(), ex), options.PauseAfterFailedStatement).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether a <see cref="TimeoutException"/> came from the watchdog (none with an infinite one), not from the work.</summary>
    private bool OutlivedWatchdog(long started) =>
        options.Watchdog != Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(started) >= options.Watchdog;

    private async Task RunStatementAsync(MySqlConnection connection)
    {
        using var command = new MySqlCommand(options.Statement, connection);
        object? value = await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        if (value is null or DBNull)
        {
            throw new InvalidOperationException($"'{options.Statement}' returned no value");
        }
    }

    /// <summary>Records a failed open or statement, hands it to <see cref="WorkloadOptions.OnCompleted"/>, then pauses the worker.</summary>
    private Task FailedAsync(ConcurrentQueue<WorkloadFailure> queue, string stage, WorkloadCompletion completion, TimeSpan pause)
    {
        Exception error = completion.Error!;
        queue.Enqueue(new WorkloadFailure(completion.Peer, completion.Started, completion.Ended, error, describe(), completion.Worker, completion.Sequence));
        errorsByKind.AddOrUpdate(stage + " " + KindOf(error), 1, (_, count) => count + 1);
        options.OnCompleted?.Invoke(completion);
        return pause > TimeSpan.Zero ? Task.Delay(pause, CancellationToken.None) : Task.CompletedTask;
    }
}
