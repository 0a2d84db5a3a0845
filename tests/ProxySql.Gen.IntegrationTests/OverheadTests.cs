using System.Diagnostics;
using System.Reflection;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.IntegrationTests;

/// <summary>What the balancer adds to a plain pooled open, in bytes allocated (not time: benchmarks measure speed).</summary>
public sealed class OverheadTests(ITestOutputHelper output)
{
    private const int Rounds = 25;
    private const int OpensPerRound = 400;

    [Fact]
    public async Task Balanced_open_allocates_within_10_percent_of_a_plain_pooled_open()
    {
        var server = await SharedMariaDb.GetAsync();
        await using var rig = await PeerRig.StartAsync();
        for (var i = 0; i < 3; i++)
            rig.Values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server=127.0.0.1;Port={server.Port};Application Name=edge{i + 1}";
        await using var databases = await rig.CreateDatabasesAsync();

        // The same connection string as a peer's, so both sides use an identical pool configuration.
        var plainConnectionString = new MySqlConnectionStringBuilder(databases.Edge1.Settings.ConnectionString) { ApplicationName = "plain" }.ConnectionString;

        // Off xunit's synchronization context, which would add its own allocations to every await.
        var (plain, balanced, overhead) = await Task.Run(async () =>
        {
            await MeasureAsync(() => OpenPlainAsync(plainConnectionString), 500);
            await MeasureAsync(() => databases.OpenConnectionAsync(), 500);

            // Allocation per open varies with how often socket reads complete synchronously, and other processes
            // share the cores: interleave rounds, pair them, and take medians.
            var plainRounds = new List<(double Bytes, double Micros)>();
            var balancedRounds = new List<(double Bytes, double Micros)>();
            var differences = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                plainRounds.Add(await MeasureAsync(() => OpenPlainAsync(plainConnectionString), OpensPerRound));
                balancedRounds.Add(await MeasureAsync(() => databases.OpenConnectionAsync(), OpensPerRound));
                differences.Add(balancedRounds[^1].Bytes - plainRounds[^1].Bytes);
            }

            differences.Sort();
            return (Median(plainRounds), Median(balancedRounds), differences[differences.Count / 2]);
        });

        // The measurement behind the defaults: HedgeDelay sits far above a healthy open (pooled or new), so hedges
        // fire only on sick peers; ConnectTimeout far above a new connection's handshake. Printed, not asserted.
        await using (var relay = FaultRelay.Start(server.EndPoint))
        {
            var pooled = relay.ConnectionStringFor(server.ConnectionString);
            var fresh = new MySqlConnectionStringBuilder(pooled) { Pooling = false }.ConnectionString;
            var (pooledTimes, freshTimes) = await Task.Run(async () => (await OpenTimesAsync(pooled, 2000), await OpenTimesAsync(fresh, 300)));
            output.WriteLine($"open through a relay, pooled: p50 {Percentile(pooledTimes, 0.5):0.00} ms, p99 {Percentile(pooledTimes, 0.99):0.00} ms, max {pooledTimes[^1]:0.00} ms");
            output.WriteLine($"open through a relay, new connection: p50 {Percentile(freshTimes, 0.5):0.00} ms, p99 {Percentile(freshTimes, 0.99):0.00} ms, max {freshTimes[^1]:0.00} ms");
        }

        output.WriteLine($"median per open+close over {Rounds} interleaved rounds of {OpensPerRound}: plain pooled {plain.Bytes:0} B ({plain.Micros:0.0} us); balanced {balanced.Bytes:0} B ({balanced.Micros:0.0} us); paired median overhead {overhead:0} B ({overhead / plain.Bytes:P1})");
        // The target (10%) holds for an optimized runtime, where the open's state machine is a struct in a pooled box.
        // A Debug build compiles state machines as classes, one allocation per call: allow for that, not more.
        var optimized = !(typeof(ProxySqlDatabases).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false);
        var budget = optimized ? 1.10 : 1.50;
        output.WriteLine($"runtime optimized: {optimized}; budget {budget:P0} of plain");
        Assert.True(plain.Bytes + overhead <= plain.Bytes * budget, $"balanced adds {overhead:0} B to plain {plain.Bytes:0} B per open (budget {budget:P0})");
    }

    private static async Task<double[]> OpenTimesAsync(string connectionString, int count)
    {
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        Array.Sort(times);
        return times;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static (double Bytes, double Micros) Median(List<(double Bytes, double Micros)> rounds)
    {
        var bytes = rounds.Select(r => r.Bytes).Order().ToArray();
        var micros = rounds.Select(r => r.Micros).Order().ToArray();
        return (bytes[bytes.Length / 2], micros[micros.Length / 2]);
    }

    private static async ValueTask<MySqlConnection> OpenPlainAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    private static async Task<(double Bytes, double Micros)> MeasureAsync(Func<ValueTask<MySqlConnection>> open, int count)
    {
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var connection = await open().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
        return ((double)bytes / count, elapsed.TotalMicroseconds / count);
    }
}
