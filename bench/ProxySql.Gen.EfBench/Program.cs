using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ProxySql.EfBench;
using ProxySql.Testing;

// EF Core through UseProxySql (three peers, all on the same MariaDB) against EF Core over one plain connection string to
// it, in interleaved rounds (the order rotates every round) so that load from other processes hits every side alike.
//   (no argument) or a number of rounds: the throughput table (plain, plain + Pipelining=False as EF over a ProxySQL 2.7
//   node needs, UseProxySql), with the client's CPU time and allocations per operation beside each rate;
//   "attribution [rounds]": plain EF with what UseProxySql adds one at a time (Pipelining=False, a command interceptor);
//   "cpu [rounds]": as the throughput table with one worker, for the CPU and bytes per operation without contention;
//   "solo plain|unpipelined|ours pooled|new seconds": one side alone, to run under dotnet-trace or perf;
//   "settle [rounds]": pooled contexts in the first minute after UseProxySql and after it;
//   "faults [relay|proxysql [connect-timeout-seconds]]": the fault table of issue 13, on relays in front of MariaDB or on
//   real ProxySQL nodes (PROXYSQL_BIN) each behind a relay; UseProxySql's ConnectTimeout optionally set.
var mode = args.Length > 0 && !char.IsAsciiDigit(args[0][0]) ? args[0] : "throughput";
const int Workers = 16;
var roundLength = TimeSpan.FromSeconds(1);

await using var server = await MariaDbServer.StartAsync();
var version = ServerVersion.Parse("10.11-mariadb");
// With the options Pomelo needs already in it, so Pomelo does not rewrite it per context.
var plainBuilder = new MySqlConnector.MySqlConnectionStringBuilder(server.ConnectionString) { AllowUserVariables = true, UseAffectedRows = false };
var plainOptions = new DbContextOptionsBuilder<BenchContext>().UseMySql(plainBuilder.ConnectionString, version).Options;
var unpipelinedOptions = new DbContextOptionsBuilder<BenchContext>().UseMySql(new MySqlConnector.MySqlConnectionStringBuilder(plainBuilder.ConnectionString) { Pipelining = false }.ConnectionString, version).Options;
var values = new Dictionary<string, string?>
{
    ["ProxySql:ConnectionString"] = new MySqlConnector.MySqlConnectionStringBuilder(server.ConnectionString) { Server = "", Port = 3306 }.ConnectionString,

    // At load average 40-50 on 2 cores a healthy open can outlive the default 2 s per-attempt timeout, which marks the
    // peer Down; with all three Down the run dies (seen 2026-12-01 16:27). No fault here: the timeout is not measured.
    ["ProxySql:ConnectTimeout"] = "10",
};
for (var i = 1; i <= 3; i++)
    values[$"ProxySql:Peers:Edge{i}:ConnectionString"] = string.Create(CultureInfo.InvariantCulture, $"Server=127.0.0.1;Port={server.Port};Application Name=edge{i}");
await using var databases = new BenchDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
var balancedOptions = new DbContextOptionsBuilder<BenchContext>().UseProxySql(databases, version).Options;
var onePeerValues = values.Where(v => !v.Key.StartsWith("ProxySql:Peers:", StringComparison.Ordinal) || v.Key.StartsWith("ProxySql:Peers:Edge1:", StringComparison.Ordinal)).ToDictionary();
await using var onePeer = new OnePeerBenchDatabases(new ConfigurationBuilder().AddInMemoryCollection(onePeerValues).Build());
var onePeerOptions = new DbContextOptionsBuilder<BenchContext>().UseProxySql(onePeer, version).Options;

await using (var context = new BenchContext(plainOptions))
{
    await context.Database.EnsureCreatedAsync();
    if (!await context.Orders.AnyAsync())
    {
        context.Orders.AddRange(Enumerable.Range(1, 100).Select(i => new BenchOrder { Customer = $"c{i}", Total = i }));
        await context.SaveChangesAsync();
    }
}

switch (mode)
{
    case "faults":
        await FaultRun.RunAsync(server, version, proxySql: args.Length > 1 && args[1] == "proxysql",
            connectTimeoutSeconds: args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : null);
        return;
    case "settle":
        // UseProxySql's reconfiguration retires every peer's first pool; the pool watches retired sources for about a
        // minute after (PeerPool). The same rounds before and after that minute show what the watch costs.
        var started = System.Diagnostics.Stopwatch.StartNew();
        var settleRounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;
        Console.WriteLine("| phase | plain UseMySql | UseProxySql (3 peers) | ratio (median of rounds) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Side[] pair = [new("plain", plainOptions, pooled: true), new("UseProxySql", balancedOptions, pooled: true)];
        var early = await Interleaved.MeasureAsync(pair, Workers, roundLength, settleRounds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| first {started.Elapsed.TotalSeconds:0} s after UseProxySql | {early[0].MedianRate:0} | {early[1].MedianRate:0} | {early[1].MedianRatio:0.000} |"));
        var wait = TimeSpan.FromSeconds(80) - started.Elapsed;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
        var late = await Interleaved.MeasureAsync(pair, Workers, roundLength, settleRounds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| from 80 s on | {late[0].MedianRate:0} | {late[1].MedianRate:0} | {late[1].MedianRatio:0.000} |"));
        return;
    case "solo":
        var soloOptions = args[1] switch
        {
            "plain" => plainOptions,
            "unpipelined" => unpipelinedOptions,
            _ => balancedOptions,
        };
        var solo = new Side(args[1], soloOptions, pooled: args[2] == "pooled");
        var measured = await solo.MeasureAsync(Workers, TimeSpan.FromSeconds(int.Parse(args[3], CultureInfo.InvariantCulture)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[1]} {args[2]}: {measured.Rate:0} operations/s, {measured.CpuMicroseconds:0} µs CPU and {measured.AllocatedBytes:0} B allocated per operation"));
        return;
}

var rounds = args.Length > 0 && char.IsAsciiDigit(args[0][0]) ? int.Parse(args[0], CultureInfo.InvariantCulture)
    : args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var attribution = mode == "attribution";

// "cpu [rounds]": the client's CPU and bytes per operation with one worker (no contention between workers), interleaved.
var workers = mode == "cpu" ? 1 : Workers;
var interceptedOptions = new DbContextOptionsBuilder<BenchContext>().UseMySql(plainBuilder.ConnectionString, version).AddInterceptors(new NoOpCommandInterceptor()).Options;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EF Core operations/s (query by key), {workers} workers, {rounds} interleaved rounds of {roundLength.TotalSeconds:0.#} s per side; medians over rounds, ratios to plain per round. mariadbd {server.Port}, {Environment.ProcessorCount} cores."));
Console.WriteLine();
// Each cell: operations/s (ratio to plain, median of the per-round ratios) / client CPU µs per operation / bytes allocated per operation.
Side[] SidesFor(bool pooled) => attribution
    ? [new("plain", plainOptions, pooled), new("plain + Pipelining=False", unpipelinedOptions, pooled), new("plain + a no-op command interceptor", interceptedOptions, pooled), new("UseProxySql (1 peer)", onePeerOptions, pooled), new("UseProxySql (3 peers)", balancedOptions, pooled)]
    : [new("plain UseMySql(connection string)", plainOptions, pooled), new("plain + Pipelining=False", unpipelinedOptions, pooled), new("UseProxySql (3 peers)", balancedOptions, pooled)];
var header = SidesFor(true);
Console.WriteLine($"| contexts | {string.Join(" | ", header.Select(h => h.Name))} |");
Console.WriteLine($"| --- |{string.Concat(header.Select(_ => " ---: |"))}");
foreach (var pooled in new[] { true, false })
{
    var results = await Interleaved.MeasureAsync(SidesFor(pooled), workers, roundLength, rounds);
    var label = pooled ? "pooled (AddDbContextPool)" : "new per operation";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {label} | {string.Join(" | ", results.Select((r, i) => Cell(r, i)))} |"));
}

// The first side's ratio is 1; the UseProxySql sides also give their per-round ratio to plain + Pipelining=False, the
// plain string that can begin a transaction through a ProxySQL 2.7 node.
static string Cell(SideResult r, int i)
{
    var rate = i switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{r.MedianRate:0}"),
        _ when r.Name.StartsWith("UseProxySql", StringComparison.Ordinal) => string.Create(CultureInfo.InvariantCulture, $"{r.MedianRate:0} ({r.MedianRatio:0.000}; {r.MedianRatioToUnpipelined:0.000}× unpipelined)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{r.MedianRate:0} ({r.MedianRatio:0.000})"),
    };
    return string.Create(CultureInfo.InvariantCulture, $"{rate} / {r.MedianCpuMicroseconds:0} µs / {r.MedianAllocatedBytes:0} B");
}
