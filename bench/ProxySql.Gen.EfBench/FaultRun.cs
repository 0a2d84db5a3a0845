using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.EfBench;

/// <summary>
/// The measurement of issue 13: 3 peers, 16 workers, each operation a new DbContext running one raw SQL query, a fault
/// on one peer for 5 s; caller errors (those of the first second, the warm-up of cold pools, apart), operations and the
/// longest operation (after that second) counted for UseProxySql and for MySqlConnector's multi-host connection string.
/// Relays on 127.0.0.2-4 share one port so that the multi-host form can address them: in front of the MariaDB itself
/// (relay rig), or each in front of a real ProxySQL node (ProxySQL rig, PROXYSQL_BIN), the way FailoverBench's
/// <c>--rig proxysql</c> builds its rig. On real nodes a kill is SIGKILL of the node with its relay stopped too (clients
/// see a refused connect, as without the relay), healed by restarting the node; a blackhole is the relay forwarding
/// nothing. Each run gets new relays on a new port, so no side inherits another's pooled sessions.
/// </summary>
internal static class FaultRun
{
    private static readonly IPAddress[] s_addresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4")];

    public static async Task RunAsync(MariaDbServer server, ServerVersion version, bool proxySql, double? connectTimeoutSeconds)
    {
        await using var cluster = proxySql ? await ProxySqlCluster.StartAsync(s_addresses.Length, server).ConfigureAwait(false) : null;
        Console.WriteLine(proxySql
            ? $"3 real ProxySQL nodes ({ProxySqlNode.ServerVersion} fixture, PROXYSQL_BIN), each behind a relay on 127.0.0.2-4 sharing one port; {Environment.ProcessorCount} cores"
            : $"3 relays on 127.0.0.2-4 sharing one port, in front of one MariaDB; {Environment.ProcessorCount} cores");
        Console.WriteLine("| EF Core over | fault | caller errors | errors in the warm-up | operations | longest operation (ms) | errors by phase and kind |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var fault in new[] { RelayMode.Killed, RelayMode.Blackholed })
        {
            // The side that runs first alternates with the fault, so that neither is always the one after a quiet spell.
            foreach (var ours in fault == RelayMode.Killed ? new[] { true, false } : [false, true])
            {
                var port = LoopbackPort.FindFree(s_addresses);
                var relays = s_addresses.Select((a, i) => FaultRelay.Start(cluster?.Nodes[i].EndPoint ?? server.EndPoint, a, port)).ToArray();
                var faulted = new FleetNode("Edge2", cluster?.Nodes[1], relays[1]);
                ProxySqlDatabases? databases = null;
                try
                {
                    DbContextOptions<BenchContext> options;
                    if (ours)
                    {
                        var values = new Dictionary<string, string?>
                        {
                            ["ProxySql:ConnectionString"] = new MySqlConnectionStringBuilder(server.ConnectionString) { Server = "", Port = 3306 }.ConnectionString,
                        };
                        if (connectTimeoutSeconds is { } seconds)
                            values["ProxySql:ConnectTimeout"] = seconds.ToString(CultureInfo.InvariantCulture);
                        for (var i = 0; i < 3; i++)
                            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = string.Create(CultureInfo.InvariantCulture, $"Server={s_addresses[i]};Port={port}");
                        databases = new BenchDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
                        options = new DbContextOptionsBuilder<BenchContext>().UseProxySql(databases, version).Options;
                    }
                    else
                    {
                        var multiHost = new MySqlConnectionStringBuilder(server.ConnectionString)
                        {
                            Server = string.Join(',', s_addresses.Select(a => a.ToString())),
                            Port = (uint)port,
                            LoadBalance = MySqlLoadBalance.Random,

                            // What EF Core over a ProxySQL 2.7 node needs for transactions (docs/efcore.md), as UseProxySql sets.
                            Pipelining = !proxySql,
                        };
                        options = new DbContextOptionsBuilder<BenchContext>().UseMySql(multiHost.ConnectionString, version).Options;
                    }

                    var (errors, warmUpErrors, operations, longest, kinds, firstUnavailable) = await RunWithFaultAsync(options, faulted, fault).ConfigureAwait(false);
                    if (firstUnavailable is not null)
                        Console.Error.WriteLine($"first ProxySqlUnavailableException: {firstUnavailable}");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {(ours ? "UseProxySql(dbs, …)" : "MySqlConnector multi-host connection string")} | {(fault == RelayMode.Killed ? "kill" : "blackhole")} | {errors} | {warmUpErrors} | {operations} | {longest.TotalMilliseconds:0} | {string.Join("; ", kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Value}× {k.Key}"))} |"));
                }
                finally
                {
                    if (databases is not null)
                        await databases.DisposeAsync().ConfigureAwait(false);
                    foreach (var relay in relays)
                        await relay.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<(int Errors, int WarmUpErrors, long Operations, TimeSpan Longest, IReadOnlyDictionary<string, int> Kinds, string? FirstUnavailable)> RunWithFaultAsync(DbContextOptions<BenchContext> options, FleetNode faulted, RelayMode fault)
    {
        var kinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        string? firstUnavailable = null;
        var errors = 0;
        var warmUpErrors = 0;
        var phase = 0; // 0 warm-up, 1 before the fault, 2 during, 3 after
        string[] phases = ["warm-up", "before", "fault", "after"];
        var operations = 0L;
        var longestTicks = 0L;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    var context = new BenchContext(options);
                    await using (context.ConfigureAwait(false))
                        await context.Database.SqlQueryRaw<int>("SELECT 1 AS Value").ToListAsync().ConfigureAwait(false);
                    Interlocked.Increment(ref operations);
                }
#pragma warning disable CA1031 // Every error a caller sees is counted.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    var now = Volatile.Read(ref phase);
                    Interlocked.Increment(ref now == 0 ? ref warmUpErrors : ref errors);
                    kinds.AddOrUpdate($"{phases[now]}: {Kind(ex)}", 1, (_, n) => n + 1);
                    if (ex is ProxySqlUnavailableException unavailable)
                        Interlocked.CompareExchange(ref firstUnavailable, $"{phases[now]}: {unavailable.Message}", null);
                }

                var took = System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
                for (var seen = Interlocked.Read(ref longestTicks); took > seen; seen = Interlocked.Read(ref longestTicks))
                    Interlocked.CompareExchange(ref longestTicks, took, seen);
            }
        })).ToArray();

        // 1 s of warm-up (JIT, EF's model and query cache, the pools) that is not counted, then 2 s steady before the fault.
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        Interlocked.Exchange(ref operations, 0);
        Interlocked.Exchange(ref longestTicks, 0);
        Volatile.Write(ref phase, 1);
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        Volatile.Write(ref phase, 2);
        await FaultAsync(faulted, fault).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await HealAsync(faulted, fault).ConfigureAwait(false);
        Volatile.Write(ref phase, 3);
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (errors, warmUpErrors, operations, TimeSpan.FromTicks(longestTicks), kinds, firstUnavailable);
    }

    /// <summary>What a caller saw: our unavailable exception, or the driver's error (its code), or another type.</summary>
    private static string Kind(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is ProxySqlUnavailableException)
                return "ProxySqlUnavailableException (no peer opened)";
        }

        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is MySqlException mySql)
                return $"MySqlException {mySql.ErrorCode}";
        }

        return error.GetType().Name;
    }

    private static async Task FaultAsync(FleetNode faulted, RelayMode fault)
    {
        if (fault == RelayMode.Blackholed)
        {
            await faulted.BlackholeAsync().ConfigureAwait(false);
            return;
        }

        // A real node is killed, and its relay with it, so that connects are refused as without the relay.
        if (faulted.Node is not null)
            await faulted.KillAsync().ConfigureAwait(false);
        faulted.Relay!.Mode = RelayMode.Killed;
    }

    private static async Task HealAsync(FleetNode faulted, RelayMode fault)
    {
        if (fault == RelayMode.Killed && faulted.Node is not null)
            await faulted.RestartAsync().ConfigureAwait(false);
        faulted.Relay!.Mode = RelayMode.Up;
    }
}
