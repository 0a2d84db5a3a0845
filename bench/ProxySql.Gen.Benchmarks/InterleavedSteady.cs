using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Benchmarks;

/// <summary>
/// The failover benchmark's steady scenario (16 workers: open → <c>SELECT @@port</c> → close, three relays in front
/// of one MariaDB) with the balancers interleaved in short slices inside one process: plain (one peer),
/// MySqlConnector multi-host, a plain MySqlDataSource (one peer), three MySqlDataSources picked at random (per-peer pools without a balancer) and ProxySql.Gen (library defaults), in a rotating order, so that load from other
/// processes and the JIT's tiering hit every side alike. Per slice it counts the whole process: CPU, allocated
/// bytes, thread-pool work items and lock contentions per operation; it prints the medians over slices and the
/// median of the per-round ratios. All three stay alive for the whole run, so ProxySql.Gen's background probes
/// are charged to every slice alike (a probe round costs one TCP connect and one statement per peer every 2 s).
/// </summary>
internal static class InterleavedSteady
{
    private static readonly IPAddress[] Addresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4")];
    private static readonly TimeSpan RampUp = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(10);
    private static int s_errors;

    public static async Task RunAsync(IReadOnlyList<string> args)
    {
        int rounds = IntOption(args, "--rounds", 12);
        int workers = IntOption(args, "--workers", 16);
        TimeSpan slice = TimeSpan.FromSeconds(IntOption(args, "--slice", 2));

        await using MariaDbServer server = await MariaDbServer.StartAsync().ConfigureAwait(false);
        int port = LoopbackPort.FindFree(Addresses);
        FaultRelay[] relays = [.. Addresses.Select(a => FaultRelay.Start(server.EndPoint, a, port))];
        // Every side with the driver options ProxySql.Gen gives its peers by default: no pipelining, which transactions
        // through ProxySQL 2.7 need (docs/configuration-and-behaviour.md), so the sides differ only in balancing.
        string shared = $"Database={MariaDbServer.AppDatabase};User ID={MariaDbServer.AppUser};Password={server.AppPassword};Pipelining=False";
        string plain = new MySqlConnectionStringBuilder(shared) { Server = Addresses[0].ToString(), Port = (uint)port }.ConnectionString;
        string multiHost = new MySqlConnectionStringBuilder(shared)
        {
            Server = string.Join(',', Addresses.Select(a => a.ToString())),
            Port = (uint)port,
            LoadBalance = MySqlLoadBalance.Random,
        }.ConnectionString;
        var values = new Dictionary<string, string?> { ["ProxySql:ConnectionString"] = shared };
        for (int i = 0; i < Addresses.Length; i++)
        {
            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server={Addresses[i]};Port={port}";
        }

        var ours = new BenchDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        await using var dataSource = new MySqlDataSource(plain);
        MySqlDataSource[] perPeer = [.. Addresses.Select(a => new MySqlDataSource(new MySqlConnectionStringBuilder(shared) { Server = a.ToString(), Port = (uint)port }.ConnectionString))];
        try
        {
            // Shaped as the failover benchmark's balancers: a ValueTask each, ours straight from the library.
            (string Name, Func<ValueTask<MySqlConnection>> Open)[] sides =
            [
                ("plain", () => OpenAsync(new MySqlConnection(plain))),
                ("multihost", () => OpenAsync(new MySqlConnection(multiHost))),
                ("datasource", () => OpenAsync(dataSource.CreateConnection())),
                ("3 sources", () => OpenAsync(perPeer[Random.Shared.Next(perPeer.Length)].CreateConnection())),
                ("ours", () => ours.OpenConnectionAsync()),
            ];
            var results = sides.ToDictionary(s => s.Name, _ => new List<SliceCost>(), StringComparer.Ordinal);

            // One untimed pass of each: JIT, pools and the server warm up before anything counts.
            foreach (var side in sides)
            {
                await MeasureAsync(side.Open, workers, slice).ConfigureAwait(false);
            }

            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < sides.Length; k++)
                {
                    var side = sides[(round + k) % sides.Length];
                    results[side.Name].Add(await MeasureAsync(side.Open, workers, slice).ConfigureAwait(false));
                }

                Console.Error.Write('.');
            }

            Console.Error.WriteLine();
            Print(results, rounds, workers, slice, relays.Sum(r => r.TotalSessions));
        }
        finally
        {
            await ours.DisposeAsync().ConfigureAwait(false);
            foreach (var source in perPeer)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }

            MySqlConnection.ClearAllPools();
            foreach (var relay in relays)
            {
                await relay.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async ValueTask<MySqlConnection> OpenAsync(MySqlConnection connection)
    {
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }

    private static async Task<SliceCost> MeasureAsync(Func<ValueTask<MySqlConnection>> open, int workers, TimeSpan slice)
    {
        long ops = 0;
        bool counting = false;
        var openTicks = new List<long>(1 << 15);
        using var stop = new CancellationTokenSource();

        // The shared harness's loop, as in the failover benchmark: an error is counted and the worker goes on after 10 ms.
        var workload = new Workload(_ => open(), static _ => 0, peerCount: 1, options: new WorkloadOptions
        {
            Statement = "SELECT @@port",
            Watchdog = Timeout.InfiniteTimeSpan,
            PauseAfterFailedOpen = ErrorPause,
            PauseAfterFailedStatement = ErrorPause,
            OnCompleted = completion =>
            {
                if (completion.Error is { } e)
                {
                    if (Interlocked.Increment(ref s_errors) == 1)
                        Console.Error.WriteLine($"first error: {e.GetType().Name}: {e.Message}");
                }
                else if (Volatile.Read(ref counting))
                {
                    Interlocked.Increment(ref ops);
                    lock (openTicks)
                    {
                        openTicks.Add(completion.Opened - completion.Started);
                    }
                }
            },
        });
        Task running = workload.RunAsync(workers, stop.Token);
        await Task.Delay(RampUp).ConfigureAwait(false);
        var before = Snapshot.Take();
        Volatile.Write(ref counting, true);
        await Task.Delay(slice).ConfigureAwait(false);
        Volatile.Write(ref counting, false);
        long counted = Interlocked.Read(ref ops);
        var after = Snapshot.Take();
        await stop.CancelAsync().ConfigureAwait(false);
        await running.ConfigureAwait(false);
        double[] opens = [.. openTicks.Select(t => t * 1000.0 / Stopwatch.Frequency)];
        return SliceCost.Between(before, after, counted) with { OpenP50Ms = Quantile(opens, 0.5), OpenP99Ms = Quantile(opens, 0.99) };
    }

    private static void Print(Dictionary<string, List<SliceCost>> results, int rounds, int workers, TimeSpan slice, long relaySessions)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(culture, $"Steady, interleaved in one process: {rounds} rounds × {slice.TotalSeconds:0.#} s per side, {workers} workers, 3 relays; medians over slices:"));
        Console.WriteLine();
        Console.WriteLine("| side | ops/s | µs CPU/op | bytes/op | work items/op | lock contentions/op | open p50 | open p99 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach ((string name, List<SliceCost> costs) in results)
        {
            Console.WriteLine(string.Create(culture, $"| {name} | {Median(costs.Select(c => c.OpsPerSecond)):0} | {Median(costs.Select(c => c.CpuMicrosPerOp)):0.0} | {Median(costs.Select(c => c.BytesPerOp)):0} | {Median(costs.Select(c => c.WorkItemsPerOp)):0.00} | {Median(costs.Select(c => c.ContentionsPerOp)):0.000} | {Median(costs.Select(c => c.OpenP50Ms)):0.00} ms | {Median(costs.Select(c => c.OpenP99Ms)):0.00} ms |"));
        }

        Console.WriteLine();
        foreach (string baseline in new[] { "multihost", "plain" })
        {
            List<SliceCost> ours = results["ours"], other = results[baseline];
            double[] throughput = [.. ours.Zip(other, (o, b) => o.OpsPerSecond / b.OpsPerSecond)];
            double[] cpu = [.. ours.Zip(other, (o, b) => o.CpuMicrosPerOp / b.CpuMicrosPerOp)];
            double[] bytes = [.. ours.Zip(other, (o, b) => o.BytesPerOp / b.BytesPerOp)];
            Console.WriteLine(string.Create(culture, $"ours / {baseline}, median of per-round ratios (quartiles): throughput {Median(throughput):0.00} ({Quantile(throughput, 0.25):0.00}–{Quantile(throughput, 0.75):0.00}), CPU/op {Median(cpu):0.00} ({Quantile(cpu, 0.25):0.00}–{Quantile(cpu, 0.75):0.00}), bytes/op {Median(bytes):0.00}"));
        }

        Console.WriteLine(string.Create(culture, $"errors (all sides): {s_errors}"));
        Console.WriteLine(string.Create(culture, $"sessions the relays accepted over the whole run (all sides, probes included): {relaySessions}"));
    }

    private static int IntOption(IReadOnlyList<string> args, string name, int fallback)
    {
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
                    ? value
                    : throw new ArgumentException($"{name} must be a whole number above 0, not '{args[i + 1]}'.");
            }
        }

        return fallback;
    }

    private static double Median(IEnumerable<double> values) => Quantile([.. values], 0.5);

    private static double Quantile(IReadOnlyCollection<double> values, double q)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    private readonly record struct Snapshot(long Timestamp, TimeSpan Cpu, long Allocated, long WorkItems, long Contentions)
    {
        public static Snapshot Take()
        {
            using var process = Process.GetCurrentProcess();
            return new(Stopwatch.GetTimestamp(), process.TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: false), ThreadPool.CompletedWorkItemCount, Monitor.LockContentionCount);
        }
    }

    private readonly record struct SliceCost(double OpsPerSecond, double CpuMicrosPerOp, double BytesPerOp, double WorkItemsPerOp, double ContentionsPerOp)
    {
        public double OpenP50Ms { get; init; }

        public double OpenP99Ms { get; init; }

        public static SliceCost Between(Snapshot before, Snapshot after, long ops)
        {
            double n = Math.Max(1, ops);
            double seconds = (after.Timestamp - before.Timestamp) / (double)Stopwatch.Frequency;
            return new(
                ops / seconds,
                (after.Cpu - before.Cpu).TotalMicroseconds / n,
                (after.Allocated - before.Allocated) / n,
                (after.WorkItems - before.WorkItems) / n,
                (after.Contentions - before.Contentions) / n);
        }
    }
}
