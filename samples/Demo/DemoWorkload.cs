using System.Diagnostics;
using System.Diagnostics.Metrics;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// Concurrent workers doing what an application does: open a connection through the balancer, run a small insert and
/// a 20 ms query, close: the shared workload harness (<see cref="Workload"/>, tests/ProxySql.Gen.Testing) with the
/// demo's statement and per-node counters. Opens fail over; statements are never retried, so a statement on a node
/// that is killed under it fails with the driver's error and is counted apart.
/// </summary>
internal sealed class DemoWorkload : IAsyncDisposable
{
    private const string Statement = "INSERT INTO demo_orders (worker, peer) VALUES (@worker, @peer); SELECT SLEEP(0.02)";

    private readonly DemoDatabases _databases;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly Dictionary<string, Node> _nodeByPeerName;
    private readonly Workload _workload;
    private readonly MeterListener _meters = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _run = Task.CompletedTask;
    private long _firstQueryAt;

    /// <param name="databases">The balancer.</param>
    /// <param name="nodes">The nodes, in the order of <c>databases.Peers</c>.</param>
    public DemoWorkload(DemoDatabases databases, IReadOnlyList<Node> nodes)
    {
        _databases = databases;
        _nodes = nodes;
        _nodeByPeerName = nodes.ToDictionary(n => n.Peer.Name, StringComparer.Ordinal);
        _workload = Workload.For(databases, options: new WorkloadOptions
        {
            Work = RunCountedAsync,

            // a statement held up by a blackhole or by lost backends completes when the fault heals: no hang watchdog
            Watchdog = Timeout.InfiniteTimeSpan,
            PauseAfterFailedOpen = TimeSpan.FromMilliseconds(100),
        });

        // The library's own metrics say which open attempts failed on which peer before failover hid them.
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ProxySql.Gen" && instrument.Name == "proxysql.opens")
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>(OnOpenMeasured);
        _meters.Start();
    }

    /// <summary>Opens that failed: the caller saw an exception. The point of the library is to keep this at zero.</summary>
    public long FailedOpens => _workload.OpenFailures.Count;

    public string? LastOpenError => _workload.OpenFailures.LastOrDefault() is { } failure ? $"{failure.Error.GetType().Name}: {failure.Error.Message}" : null;

    /// <summary>The <see cref="Stopwatch"/> timestamp of the first completed statement, or 0.</summary>
    public long FirstQueryAt => Interlocked.Read(ref _firstQueryAt);

    /// <summary>Runs one statement through the balancer, so the first-query time is measured before the workers start.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await _databases.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, 0, _nodes[Workload.PeerIndex(_databases, connection)]).ConfigureAwait(false);
        }
    }

    public void Start(int workers) => _run = _workload.RunAsync(workers, _stopping.Token);

    /// <summary>Lets every worker finish its current statement and stop.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _run.WaitAsync(timeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        _meters.Dispose();
        _stopping.Dispose();
    }

    /// <summary>One statement on a handed-out connection, its failure counted against its node (by a fault or not).</summary>
    private async Task RunCountedAsync(MySqlConnection connection, WorkloadOperation operation)
    {
        var node = _nodes[operation.Peer];
        var faults = node.Faults;
        var faultAtStart = node.FaultOn;
        try
        {
            // No cancellation token: a started statement runs to its end, as an application's would.
            await ExecuteAsync(connection, operation.Worker + 1, node).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            node.CountFailure(byFault: faultAtStart || node.Faults != faults || node.FaultOn, ex);
            throw;
        }
    }

    private async Task ExecuteAsync(MySqlConnection connection, int worker, Node node)
    {
        var started = Stopwatch.GetTimestamp();
        using var command = new MySqlCommand(Statement, connection);
        command.Parameters.AddWithValue("@worker", worker);
        command.Parameters.AddWithValue("@peer", node.Peer.Name);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        Interlocked.CompareExchange(ref _firstQueryAt, Stopwatch.GetTimestamp(), 0);
        node.CountQuery(Stopwatch.GetElapsedTime(started));
    }

    private void OnOpenMeasured(Instrument instrument, long measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? peer = null;
        string? outcome = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "proxysql.peer")
                peer = tag.Value as string;
            else if (tag.Key == ProxySqlTelemetry.ErrorTypeAttribute)
                outcome = tag.Value as string;
        }

        if (peer is not null && outcome is not null and not "cancelled" && _nodeByPeerName.TryGetValue(peer, out var node))
            node.CountFailedAttempt();
    }
}
