using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>Peer faults under 16 EF Core workers (new context per operation, and pooled contexts) on real MariaDB behind relays.</summary>
public sealed class EfFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Killed_peer_fails_no_operation_except_statements_in_flight_on_it(bool pooled)
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var workload = new EfWorkload(databases, rig, pooled);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);

        await Eventually.TrueAsync(() => workload.OpensOn(1) >= 200, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
        var sessionsOnKilledPeer = rig.Relays[1].OpenSessions;
        rig.Relays[1].Mode = RelayMode.Killed;
        var operationsAtKill = workload.Operations;
        await Eventually.TrueAsync(() => workload.Operations >= operationsAtKill + 2000, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
        await stop.CancelAsync();
        await run;

        output.WriteLine($"kill ({(pooled ? "pooled" : "new")} contexts): {workload.Summary}; {sessionsOnKilledPeer} sessions on the peer at the kill");
        Assert.Empty(workload.OpenErrors);
        Assert.True(workload.StatementErrors.Count <= Math.Min(16, sessionsOnKilledPeer), workload.Summary);
        Assert.Equal(ProxySqlPeerState.Down, databases.Edge2.State);
        Assert.Equal(0, databases.InUse);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Paused_peer_drains_to_zero_sessions_with_no_error(bool pooled)
    {
        await using var rig = await EfRig.StartAsync();
        rig.Values["ProxySql:ProbeInterval"] = "0.5";
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var workload = new EfWorkload(databases, rig, pooled);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);

        await Eventually.TrueAsync(() => workload.SnapshotOpensByPeer().All(n => n >= 200), Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
        var sessionsAtPause = rig.Relays[1].OpenSessions;
        rig.Relays[1].Mode = RelayMode.Paused;
        await Eventually.TrueAsync(() => databases.Edge2.State != ProxySqlPeerState.Up, Deadline, () => rig.Describe(databases));
        await Eventually.TrueAsync(() => rig.Relays[1].OpenSessions == 0 && databases.Edge2.ConnectionsInUse == 0, Deadline, () => rig.Describe(databases));
        var opensAtDrain = workload.OpensOn(1);
        var operationsAtDrain = workload.Operations;
        await Eventually.TrueAsync(() => workload.Operations >= operationsAtDrain + 2000, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
        var opensAfterDrain = workload.OpensOn(1) - opensAtDrain;
        var inUseAfter = databases.Edge2.ConnectionsInUse;
        var sessionsAfter = rig.Relays[1].OpenSessions;
        await stop.CancelAsync();
        await run;

        output.WriteLine($"pause ({(pooled ? "pooled" : "new")} contexts): {workload.Summary}; {sessionsAtPause} sessions at the pause, 0 after the drain; opens on it after the drain: {opensAfterDrain}");
        Assert.Empty(workload.OpenErrors);
        Assert.Empty(workload.StatementErrors);
        Assert.Equal(0, opensAfterDrain);
        Assert.Equal(0, inUseAfter);
        Assert.Equal(0, sessionsAfter);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Blackholed_peer_fails_no_open_and_only_statements_in_flight_on_it(bool pooled)
    {
        await using var rig = await EfRig.StartAsync();
        rig.Values["ProxySql:ConnectTimeout"] = "3";
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var workload = new EfWorkload(databases, rig, pooled);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(16, stop.Token);

        await Eventually.TrueAsync(() => workload.SnapshotOpensByPeer().All(n => n >= 200), Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
        var inUseAtBlackhole = databases.Edge2.ConnectionsInUse;
        rig.Relays[1].Mode = RelayMode.Blackholed;
        await Eventually.TrueAsync(() => databases.Edge2.State == ProxySqlPeerState.Down, Deadline, () => rig.Describe(databases));
        var operationsAtDown = workload.Operations;
        await Eventually.TrueAsync(() => workload.Operations >= operationsAtDown + 2000, Deadline, () => rig.Describe(databases) + " | " + workload.Summary);
        await stop.CancelAsync();
        await run;

        output.WriteLine($"blackhole ({(pooled ? "pooled" : "new")} contexts): {workload.Summary}; {inUseAtBlackhole} connections in use on the peer at the blackhole");
        Assert.Empty(workload.OpenErrors);

        // A statement sent just before the blackhole waits for its command timeout (5 s) and fails; nothing later does.
        Assert.True(workload.StatementErrors.Count <= 16, workload.Summary);
        Assert.StartsWith("timeout", databases.Edge2.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_peer_down_surfaces_our_transient_exception_and_the_retrying_strategy_recovers_when_a_peer_returns()
    {
        await using var rig = await EfRig.StartAsync();

        // While all are down the shared probe goes to the peer down longest; a check interval of 1 s lets the one that returns be retried soon.
        rig.Values["ProxySql:CheckInterval"] = "1";
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        foreach (var relay in rig.Relays)
            relay.Mode = RelayMode.Killed;

        await using (var context = new ShopContext(EfRig.Options(databases)))
        {
            var error = await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => context.Orders.CountAsync());
            Assert.True(error.IsTransient);
            Assert.Contains("No ProxySQL peer could open a connection", error.Message, StringComparison.Ordinal);
        }

        var retries = new FailedOpenCounter();
        var options = EfRig.Options(databases, m => m.EnableRetryOnFailure(30, TimeSpan.FromMilliseconds(300), null), b => b.AddInterceptors(retries));
        await using (var context = new ShopContext(options))
        {
            var query = context.Orders.CountAsync();
            await Eventually.TrueAsync(() => retries.Count >= 2, Deadline, () => $"{retries.Count} failed opens");
            rig.Relays[2].Mode = RelayMode.Up;
            Assert.Equal(0, await query);
        }

        output.WriteLine($"all down: the retrying strategy saw {retries.Count} failed opens, then {databases.Edge3.Name} came back and the query succeeded");
        Assert.True(retries.Count >= 2);
        Assert.Equal(0, databases.InUse);
    }

    [Fact]
    public async Task EF_core_ADO_NET_and_OpenConnectionAsync_on_one_balancer_keep_one_consistent_count()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var options = EfRig.Options(databases);

        // One of each, held: exactly three in use.
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
        var workers = Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
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

        while (Interlocked.Read(ref operations) < 3000)
        {
            var inUse = databases.InUse;
            maxInUse = Math.Max(maxInUse, inUse);
            Assert.InRange(inUse, 0, 16);
            await Task.Delay(1);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shared balancer: {operations} operations, {errors} errors, at most {maxInUse} in use"));
        Assert.Equal(0, errors);
        Assert.True(maxInUse >= 1);
        Assert.Equal(0, databases.InUse);
    }

    private sealed class FailedOpenCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override Task ConnectionFailedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }
}
