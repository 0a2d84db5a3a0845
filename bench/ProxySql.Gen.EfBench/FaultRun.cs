using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.EfBench;

/// <summary>
/// The measurement of issue 13: 3 peers, 16 workers, each operation a new DbContext running one raw SQL query, a fault
/// on one peer for 5 s; caller errors counted for UseProxySql and for MySqlConnector's multi-host connection string.
/// Relays on 127.0.0.2-4 share one port so that the multi-host form can address them.
/// </summary>
internal static class FaultRun
{
    private static readonly IPAddress[] s_addresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4")];

    public static async Task RunAsync(MariaDbServer server, ServerVersion version)
    {
        Console.WriteLine("| EF Core over | fault | caller errors | operations |");
        Console.WriteLine("| --- | --- | ---: | ---: |");
        foreach (var fault in new[] { RelayMode.Killed, RelayMode.Blackholed })
        {
            foreach (var ours in new[] { true, false })
            {
                var port = LoopbackPort.FindFree(s_addresses);
                var relays = s_addresses.Select(a => FaultRelay.Start(server.EndPoint, a, port)).ToArray();
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
                        };
                        options = new DbContextOptionsBuilder<BenchContext>().UseMySql(multiHost.ConnectionString, version).Options;
                    }

                    var (errors, operations) = await RunWithFaultAsync(options, relays[1], fault).ConfigureAwait(false);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {(ours ? "UseProxySql(dbs, …)" : "MySqlConnector multi-host connection string")} | {(fault == RelayMode.Killed ? "kill" : "blackhole")} | {errors} | {operations} |"));
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

    private static async Task<(int Errors, long Operations)> RunWithFaultAsync(DbContextOptions<BenchContext> options, FaultRelay faulted, RelayMode fault)
    {
        var errors = 0;
        var operations = 0L;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var context = new BenchContext(options);
                    await using (context.ConfigureAwait(false))
                        await context.Database.SqlQueryRaw<int>("SELECT 1 AS Value").ToListAsync().ConfigureAwait(false);
                    Interlocked.Increment(ref operations);
                }
#pragma warning disable CA1031 // Every error a caller sees is counted.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        faulted.Mode = fault;
        await Task.Delay(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        faulted.Mode = RelayMode.Up;
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (errors, operations);
    }
}
