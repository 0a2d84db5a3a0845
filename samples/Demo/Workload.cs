using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using MySqlConnector;

namespace ProxySql.Demo;

/// <summary>
/// Concurrent workers doing what an application does: open a connection through the balancer, run a small
/// insert and a 20 ms query, close. Opens fail over; statements are never retried, so a statement on a node that
/// is killed under it fails with the driver's error and is counted apart.
/// </summary>
internal sealed class Workload : IAsyncDisposable
{
    private const string Statement = "INSERT INTO demo_orders (worker, peer) VALUES (@worker, @peer); SELECT SLEEP(0.02)";

    private readonly DemoDatabases _databases;
    private readonly IReadOnlyList<Node> _nodes;
    private readonly ConcurrentDictionary<string, Node?> _nodeByConnectionString = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Node> _nodeByPeerName;
    private readonly MeterListener _meters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];
    private long _failedOpens;
    private long _firstQueryAt;
    private string? _lastOpenError;

    public Workload(DemoDatabases databases, IReadOnlyList<Node> nodes)
    {
        _databases = databases;
        _nodes = nodes;
        _nodeByPeerName = nodes.ToDictionary(n => n.Peer.Name, StringComparer.Ordinal);

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
    public long FailedOpens => Interlocked.Read(ref _failedOpens);

    public string? LastOpenError => Volatile.Read(ref _lastOpenError);

    /// <summary>The <see cref="Stopwatch"/> timestamp of the first completed statement, or 0.</summary>
    public long FirstQueryAt => Interlocked.Read(ref _firstQueryAt);

    /// <summary>Runs one statement through the balancer, so the first-query time is measured before the workers start.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var connection = await _databases.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, 0, NodeOf(connection)).ConfigureAwait(false);
        }
    }

    public void Start(int workers)
    {
        for (var i = 1; i <= workers; i++)
        {
            var worker = i;
            _workers.Add(Task.Run(() => WorkAsync(worker)));
        }
    }

    /// <summary>Lets every worker finish its current statement and stop.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_workers).WaitAsync(timeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
            await _stopping.CancelAsync().ConfigureAwait(false);
        _meters.Dispose();
        _stopping.Dispose();
    }

    private async Task WorkAsync(int worker)
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            MySqlConnection connection;
            try
            {
                connection = await _databases.OpenConnectionAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any exception out of an open is what the demo counts: the caller saw an error.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failedOpens);
                Volatile.Write(ref _lastOpenError, $"{ex.GetType().Name}: {ex.Message}");
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            await using (connection.ConfigureAwait(false))
            {
                var node = NodeOf(connection);
                var faults = node?.Faults ?? 0;
                var faultAtStart = node?.FaultOn ?? false;
                try
                {
                    // No cancellation token: a started statement runs to its end, as an application's would.
                    await ExecuteAsync(connection, worker, node).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Any failure of a started statement is counted (the driver may throw MySqlException, SocketException, IOException...).
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    node?.CountFailure(byFault: faultAtStart || node.Faults != faults || node.FaultOn, ex);
                }
            }
        }
    }

    private async Task ExecuteAsync(MySqlConnection connection, int worker, Node? node)
    {
        var started = Stopwatch.GetTimestamp();
        using var command = new MySqlCommand(Statement, connection);
        command.Parameters.AddWithValue("@worker", worker);
        command.Parameters.AddWithValue("@peer", node?.Peer.Name ?? "?");
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        Interlocked.CompareExchange(ref _firstQueryAt, Stopwatch.GetTimestamp(), 0);
        node?.CountQuery(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Which node a connection was opened on: the balancer hands out plain MySqlConnections, so by its port.</summary>
    private Node? NodeOf(MySqlConnection connection) =>
        _nodeByConnectionString.GetOrAdd(connection.ConnectionString, static (text, nodes) =>
        {
            var port = new MySqlConnectionStringBuilder(text).Port;
            return nodes.FirstOrDefault(n => n.Host.EndPoint.Port == port);
        }, _nodes);

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
