using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using ProxySql.ReliabilityTests.Infrastructure;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>Disposing the databases under load, and cancelled opens: nothing hangs, nothing throws late, nothing leaks.</summary>
public sealed class DisposalAndCancellationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Dispose_while_opens_and_probes_are_in_flight_ends_cleanly_and_leaves_no_session()
    {
        var seed = ChaosSeed.Resolve();
        output.WriteLine(seed.ToString());
        var random = seed.NewRandom();
        var server = await SharedMariaDb.GetAsync();
        var user = await ServerSessions.CreateUserAsync(server);
        var unobserved = new ConcurrentQueue<Exception>();
        void OnUnobserved(object? sender, UnobservedTaskExceptionEventArgs e) => unobserved.Enqueue(e.Exception);
        TaskScheduler.UnobservedTaskException += OnUnobserved;
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var pools = new PoolGauge(); // tells a session left idle in a pool from one nobody holds
        const int Rounds = 3;
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                await using var cluster = RelayCluster.Start(user, server, server, server);
                cluster.Values["ProxySql:CheckInterval"] = "0.2"; // recovery probes of the faulted peers keep starting
                cluster.Values["ProxySql:ProbeInterval"] = "0.05"; // and background probe rounds keep running
                cluster.Values["ProxySql:ConnectTimeout"] = "1";
                var databases = cluster.CreateDatabases();
                using var stop = new CancellationTokenSource();
                var phases = new string[32];
                var workers = Enumerable.Range(0, 32).Select(w => Task.Run(() => WorkAsync(databases, outcomes, phases, w, stop.Token))).ToArray();
                await Eventually.TrueAsync(() => outcomes.GetValueOrDefault("opened") >= 50 * (round + 1), Bound, () => cluster.Describe(databases));

                // Opens now hang on a blackhole (and hedge), fail on a refusal, or succeed; probes are in flight on all three.
                cluster.Peers[random.Next(3)].Set(RelayMode.Blackholed);
                cluster.Peers[random.Next(3)].Set(RelayMode.Killed);
                await Task.Delay(random.Next(50, 400));
                await databases.DisposeAsync().AsTask().WaitAsync(Bound);
                var disposedAt = DateTime.UtcNow;
                try
                {
                    await Task.WhenAll(workers).WaitAsync(Bound); // each worker stops at its first ObjectDisposedException
                }
                catch (TimeoutException)
                {
                    Assert.Fail($"{seed}: round {round}: callers still busy {Bound.TotalSeconds} s after the dispose (disposed at {disposedAt:HH:mm:ss.fff}): {string.Join("; ", phases.Select((p, i) => (p, i)).Where(x => !workers[x.i].IsCompleted).Select(x => $"#{x.i} {x.p}"))}; {cluster.Describe(databases)}");
                }

                await stop.CancelAsync();

                // Sessions opened by opens that were in flight at the dispose are closed too (the blackhole lifted, so they can end).
                foreach (var peer in cluster.Peers)
                    peer.Set(RelayMode.Up);
                await ServerSessions.WaitAtMostAsync(server, () => 0, Bound, () => $"round {round}, after dispose: {cluster.Describe(databases)}; pools {pools.Describe(cluster.RunTag)}", user);
            }
        }
        finally
        {
            // Unobserved exceptions surface when their task is collected.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            TaskScheduler.UnobservedTaskException -= OnUnobserved;
        }

        output.WriteLine($"dispose under load: {Rounds} rounds of 32 workers; outcomes {string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"))}; {unobserved.Count} unobserved task exceptions");
        foreach (var exception in unobserved.Take(3))
            output.WriteLine("UNOBSERVED " + exception);
        Assert.True(unobserved.IsEmpty, $"{seed}: {unobserved.Count} unobserved task exceptions: {string.Join("\n", unobserved.Take(3))}");
        var unexpected = outcomes.Keys.Where(k => k.StartsWith("unexpected", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, $"{seed}: callers saw {string.Join("; ", unexpected)}");
    }

    [Fact]
    public async Task Cancelled_opens_leave_no_half_open_session_and_mark_no_peer_down()
    {
        var seed = ChaosSeed.Resolve();
        output.WriteLine(seed.ToString());
        var server = await SharedMariaDb.GetAsync();
        var user = await ServerSessions.CreateUserAsync(server);
        using var pools = new PoolGauge();
        using var markDowns = new MarkDownCounter();
        await using var cluster = RelayCluster.Start(user, server, server, server);
        foreach (var peer in cluster.Peers)
            peer.Relay.ServerToClientLatency = TimeSpan.FromMilliseconds(100); // an open takes a few round trips: ~200-300 ms
        var databases = cluster.CreateDatabases();
        var cancelled = 0;
        var opened = 0;
        var disposed = false;
        try
        {
            var callers = Enumerable.Range(0, 8).Select(caller => Task.Run(async () =>
            {
                var random = new Random(seed.Value + caller);
                for (var i = 0; i < 12; i++)
                {
                    using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 400)));
                    try
                    {
                        await using var connection = await databases.OpenConnectionAsync(cancel.Token).AsTask().WaitAsync(Bound);
                        Interlocked.Increment(ref opened);
                        await using var command = new MySqlCommand("SELECT 1", connection);
                        await command.ExecuteScalarAsync(CancellationToken.None);
                    }
                    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref cancelled);
                    }
                }
            })).ToArray();
            await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60));

            // Attempts abandoned by a cancellation end in the background: wait until no pool has a session in use.
            foreach (var peer in cluster.Peers)
                peer.Relay.ServerToClientLatency = TimeSpan.Zero;
            await Eventually.TrueAsync(() => pools.Count("used", cluster.RunTag) == 0, Bound, () => pools.Describe(cluster.RunTag));
            var idle = 0L;
            // The pools' idle sessions plus the one unpooled probe session kept per enabled peer.
            var sessions = await ServerSessions.WaitAtMostAsync(server, () => (idle = pools.Count("idle", cluster.RunTag)) + databases.Peers.Count(p => p.Enabled), Bound, () => $"Pools: {pools.Describe(cluster.RunTag)}.", user);
            var relaySessions = cluster.Peers.Sum(p => p.Relay.OpenSessions);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cancellation: {cancelled} opens cancelled, {opened} opened; then {sessions} server sessions <= {idle} idle in the pools ({relaySessions} relay sessions); {markDowns}; states {string.Join(", ", databases.Peers)}"));

            Assert.True(cancelled > 0 && opened > 0, $"{seed}: {cancelled} cancelled and {opened} opened: the delays no longer exercise both");
            Assert.All(databases.Peers, p => Assert.Equal(ProxySqlPeerState.Up, p.State));
            Assert.True(markDowns.Total == 0, $"{seed}: a cancelled open was held against a peer: {markDowns}");
            Assert.All(databases.Peers, p => Assert.Equal(0, p.ConnectionsInUse));

            disposed = true;
            await databases.DisposeAsync().AsTask().WaitAsync(Bound);
            await ServerSessions.WaitAtMostAsync(server, () => 0, Bound, () => "after dispose", user);
            await Eventually.TrueAsync(() => cluster.Peers.All(p => p.Relay.OpenSessions == 0), Bound, () => cluster.Describe(databases));
        }
        finally
        {
            if (!disposed)
                await databases.DisposeAsync();
        }
    }

    /// <summary>Opens, queries, closes until disposal; records each outcome by kind. Anything but the documented outcomes is "unexpected".</summary>
    private static async Task WorkAsync(ChaosDatabases databases, ConcurrentDictionary<string, int> outcomes, string[] phases, int worker, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                phases[worker] = $"opening since {DateTime.UtcNow:HH:mm:ss.fff}";
                await using var connection = await databases.OpenConnectionAsync(CancellationToken.None);
                outcomes.AddOrUpdate("opened", 1, (_, n) => n + 1);
                phases[worker] = $"querying on port {new MySqlConnectionStringBuilder(connection.ConnectionString).Port} since {DateTime.UtcNow:HH:mm:ss.fff}";
                await using var command = new MySqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(CancellationToken.None);
                phases[worker] = $"closing since {DateTime.UtcNow:HH:mm:ss.fff}";
            }
            catch (ObjectDisposedException ex) when (ex.ObjectName?.Contains("ProxySql", StringComparison.Ordinal) == true || ex.Message.Contains("ProxySql", StringComparison.Ordinal))
            {
                outcomes.AddOrUpdate("disposed", 1, (_, n) => n + 1);
                return;
            }
            catch (DbException ex)
            {
                outcomes.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException && phases[worker].StartsWith("querying", StringComparison.Ordinal))
            {
                // MySqlConnector 2.6.2 lets a raw SocketException out of a statement whose session was reset (killed relay).
                outcomes.AddOrUpdate("statement cut: " + ex.GetType().Name, 1, (_, n) => n + 1);
            }
#pragma warning disable CA1031 // Every other exception is recorded and fails the test.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                outcomes.AddOrUpdate($"unexpected {ex.GetType().Name} while {phases[worker]}: {ex}", 1, (_, n) => n + 1);
                return;
            }
        }
    }
}
