using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>
/// Peer faults under 16 EF Core workers (new context per operation, and pooled contexts), shared by the relay suite
/// (<see cref="EfFaultTests"/>) and the real-ProxySQL suite (<see cref="EfProxySqlFaultTests"/>): Edge2 is the faulted peer.
/// </summary>
internal static class EfFaultScenarios
{
    private const int Faulted = 1;
    private const int Workers = 16;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Kill one node: no failed open; only statements in flight on it fail, with the driver's error.</summary>
    public static async Task KillAsync(RigKind kind, bool pooled, ITestOutputHelper output)
    {
        await using var rig = await EfRig.StartAsync(kind);
        await UnderLoadAsync(rig, pooled, async (databases, workload, stopAsync) =>
        {
            // Every session the node holds may be in flight or handed out next: the most statements the kill may cost.
            var sessionsAtKill = await rig.Nodes[Faulted].ClientConnectionsAsync();
            await rig.Nodes[Faulted].KillAsync();
            var operationsAtKill = workload.Operations;
            await Eventually.TrueAsync(() => workload.Operations >= operationsAtKill + 2000, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
            await stopAsync();

            output.WriteLine($"kill [{kind}, {Contexts(pooled)}]: {workload.Summary}; {sessionsAtKill} sessions on the node at the kill");
            Assert.Empty(workload.OpenErrors);
            Assert.All(workload.StatementErrors, e => Assert.True(EfWorkload.IsDriverError(e), e.ToString()));
            Assert.True(workload.StatementErrors.Count <= Math.Min(Workers, sessionsAtKill), workload.Summary);
            Assert.Equal(ProxySqlPeerState.Down, databases.Edge2.State);
            Assert.Equal(0, databases.InUse);
        });
    }

    /// <summary>
    /// Pause one node (PROXYSQL PAUSE): zero errors; its sessions reach 0 on the node and in ConnectionsInUse, and no
    /// new one is opened while it stays paused.
    /// </summary>
    public static async Task PauseAsync(RigKind kind, bool pooled, ITestOutputHelper output)
    {
        await using var rig = await EfRig.StartAsync(kind);
        rig.Values["ProxySql:ProbeInterval"] = "0.5";
        var node = rig.Nodes[Faulted];
        await UnderLoadAsync(rig, pooled, async (databases, workload, stopAsync) =>
        {
            var sessionsAtPause = await node.ClientConnectionsAsync();
            await node.PauseAsync();
            await Eventually.TrueAsync(() => databases.Edge2.State != ProxySqlPeerState.Up, Deadline, () => rig.Describe(databases));
            await Eventually.TrueAsync(async () => await node.ClientConnectionsAsync() == 0 && databases.Edge2.ConnectionsInUse == 0, Deadline, () => rig.Describe(databases));
            var opensAtDrain = workload.OpensOn(Faulted);
            var operationsAtDrain = workload.Operations;
            await Eventually.TrueAsync(() => workload.Operations >= operationsAtDrain + 2000, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
            var opensAfterDrain = workload.OpensOn(Faulted) - opensAtDrain;
            var inUseAfter = databases.Edge2.ConnectionsInUse;
            var sessionsAfter = await node.ClientConnectionsAsync();
            await stopAsync();

            output.WriteLine($"pause [{kind}, {Contexts(pooled)}]: {workload.Summary}; {sessionsAtPause} sessions on the node at the pause, 0 after the drain; opens on it after the drain: {opensAfterDrain}");
            Assert.Empty(workload.OpenErrors);
            Assert.Empty(workload.StatementErrors);
            Assert.Equal(0, opensAfterDrain);
            Assert.Equal(0, inUseAfter);
            Assert.Equal(0, sessionsAfter);
        });
    }

    /// <summary>
    /// Blackhole one node (its relay forwards nothing) until it is marked down and 2000 more operations ran, then let it
    /// forward again: no failed operation. New opens fail over within the per-attempt budget; a statement stalled on
    /// the node since the blackhole resumes when it ends (the command timeout is longer than the window).
    /// </summary>
    public static async Task BlackholeAsync(RigKind kind, bool pooled, ITestOutputHelper output)
    {
        await using var rig = await EfRig.StartAsync(kind, relayInFrontOf: Faulted);
        rig.Values["ProxySql:ConnectionString"] = rig.Values["ProxySql:ConnectionString"]!.Replace("Default Command Timeout=5", "Default Command Timeout=120", StringComparison.Ordinal);
        var node = rig.Nodes[Faulted];
        await UnderLoadAsync(rig, pooled, async (databases, workload, stopAsync) =>
        {
            var inUseAtBlackhole = databases.Edge2.ConnectionsInUse;
            await node.BlackholeAsync();
            await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Down, Deadline, () => rig.Describe(databases));
            var lastError = databases.Edge2.LastError;
            var operationsAtDown = workload.Operations;
            await Eventually.TrueAsync(() => workload.Operations >= operationsAtDown + 2000, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
            await node.UnblackholeAsync();
            await stopAsync();

            output.WriteLine($"blackhole [{kind}, {Contexts(pooled)}]: {workload.Summary}; {inUseAtBlackhole} connections in use on the node at the blackhole; marked down with: {lastError}");
            Assert.Empty(workload.OpenErrors);
            Assert.Empty(workload.StatementErrors);
            Assert.StartsWith("timeout", lastError, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> under 16 workers once every peer served 200 opens. The scenario stops the
    /// workers with the function it is given before it asserts; they are stopped here too, whatever happens.
    /// </summary>
    private static async Task UnderLoadAsync(EfRig rig, bool pooled, Func<ThreePeers, EfWorkload, Func<Task>, Task> scenario)
    {
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var workload = new EfWorkload(databases, rig, pooled);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Workers, stop.Token);
        async Task StopAsync()
        {
            await stop.CancelAsync();
            await run;
        }

        try
        {
            await Eventually.TrueAsync(() => workload.SnapshotOpensByPeer().All(n => n >= 200), Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
            await scenario(databases, workload, StopAsync);
        }
        finally
        {
            await StopAsync();
        }
    }

    /// <summary>
    /// Every node killed: EF surfaces our unavailable exception, transient; with the retrying strategy a query waits
    /// it out and succeeds once one node is back.
    /// </summary>
    public static async Task AllDownAsync(RigKind kind, ITestOutputHelper output)
    {
        await using var rig = await EfRig.StartAsync(kind);

        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await Task.WhenAll(rig.Nodes.Select(n => n.KillAsync()));

        await using (var context = new ShopContext(EfRig.Options(databases)))
        {
            var error = await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => context.Orders.CountAsync());
            Assert.True(error.IsTransient);
            Assert.Contains("No ProxySQL peer could open a connection", error.Message, StringComparison.Ordinal);
        }

        // Up to 100 tries at most 300 ms apart: far more than a node's restart and one check interval take.
        var retries = new FailedOpenCounter();
        var options = EfRig.Options(databases, m => m.EnableRetryOnFailure(100, TimeSpan.FromMilliseconds(300), null), b => b.AddInterceptors(retries));
        int count;
        await using (var context = new ShopContext(options))
        {
            var query = context.Orders.CountAsync();
            await Eventually.TrueAsync(() => retries.Count >= 2, Deadline, () => $"{retries.Count} failed opens");
            await rig.Nodes[2].RestartAsync();
            count = await query;
        }

        output.WriteLine($"all down [{kind}]: the retrying strategy saw {retries.Count} failed opens, then {databases.Edge3.Name} came back and the query succeeded");
        Assert.Equal(0, count);
        Assert.True(retries.Count >= 2);
        Assert.Equal(0, databases.InUse);
    }

    /// <summary>EF Core, ADO.NET (<c>dbs.DataSource</c>) and OpenConnectionAsync on one balancer keep one ConnectionsInUse.</summary>
    public static async Task SharedBalancerAsync(RigKind kind, ITestOutputHelper output)
    {
        await using var rig = await EfRig.StartAsync(kind);
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var options = EfRig.Options(databases);

        // One of each, held: exactly four in use, then three when EF closes its own.
        await using (var context = new ShopContext(options))
        {
            await context.Database.OpenConnectionAsync();
            await using var created = databases.DataSource.CreateConnection();
            await created.OpenAsync();
            await using var opened = await databases.OpenConnectionAsync();
            await using var fromDataSource = await databases.DataSource.OpenConnectionAsync();
            Assert.Equal(4, databases.InUse);
            await context.Database.CloseConnectionAsync();
            Assert.Equal(3, databases.InUse);
        }

        Assert.Equal(0, databases.InUse);

        // 16 workers mixing the three; the count never exceeds what they can hold and returns to 0.
        using var stop = new CancellationTokenSource();
        var errors = 0;
        var operations = 0L;
        var maxInUse = 0;
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    switch (w % 3)
                    {
                        case 0:
                            await using (var context = new ShopContext(options))
                                await context.Orders.CountAsync();
                            break;
                        case 1:
                            await using (var command = databases.DataSource.CreateCommand("SELECT COUNT(*) FROM Orders"))
                                await command.ExecuteScalarAsync();
                            break;
                        default:
                            await using (var connection = await databases.OpenConnectionAsync())
                                await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM Orders");
                            break;
                    }

                    Interlocked.Increment(ref operations);
                }
#pragma warning disable CA1031 // Counted and asserted below.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();

        try
        {
            while (Interlocked.Read(ref operations) < 3000 && Volatile.Read(ref errors) == 0)
            {
                var inUse = databases.InUse;
                maxInUse = Math.Max(maxInUse, inUse);
                Assert.InRange(inUse, 0, Workers);
                await Task.Delay(1);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shared balancer [{kind}]: {operations} operations, {errors} errors, at most {maxInUse} in use"));
        Assert.Equal(0, errors);
        Assert.True(maxInUse >= 1);
        Assert.Equal(0, databases.InUse);
    }

    private static string Contexts(bool pooled) => pooled ? "pooled contexts" : "new contexts";

    private sealed class FailedOpenCounter : DbConnectionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override Task ConnectionFailedAsync(System.Data.Common.DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }
}
