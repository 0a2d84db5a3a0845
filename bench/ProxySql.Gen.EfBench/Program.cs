using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ProxySql.EfBench;
using ProxySql.Testing;

// EF Core through UseProxySql (three peers, all on the same MariaDB) against EF Core over one plain connection string to
// it, in alternating rounds (A B, B A, ...) so that load from other processes hits both sides alike.
// "faults" runs the fault table of issue 13 instead.
var faults = args.Length > 0 && args[0] == "faults";
var rounds = args.Length > 0 && !faults ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
const int Workers = 16;
var roundLength = TimeSpan.FromSeconds(1);

await using var server = await MariaDbServer.StartAsync();
var version = ServerVersion.Parse("10.11-mariadb");
// With the options Pomelo needs already in it, so Pomelo does not rewrite it per context.
var plainConnectionString = new MySqlConnector.MySqlConnectionStringBuilder(server.ConnectionString) { AllowUserVariables = true, UseAffectedRows = false }.ConnectionString;
var plainOptions = new DbContextOptionsBuilder<BenchContext>().UseMySql(plainConnectionString, version).Options;
var values = new Dictionary<string, string?>
{
    ["ProxySql:ConnectionString"] = new MySqlConnector.MySqlConnectionStringBuilder(server.ConnectionString) { Server = "", Port = 3306 }.ConnectionString,
};
for (var i = 1; i <= 3; i++)
    values[$"ProxySql:Peers:Edge{i}:ConnectionString"] = string.Create(CultureInfo.InvariantCulture, $"Server=127.0.0.1;Port={server.Port};Application Name=edge{i}");
await using var databases = new BenchDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
var balancedOptions = new DbContextOptionsBuilder<BenchContext>().UseProxySql(databases, version).Options;

await using (var context = new BenchContext(plainOptions))
{
    await context.Database.EnsureCreatedAsync();
    if (!await context.Orders.AnyAsync())
    {
        context.Orders.AddRange(Enumerable.Range(1, 100).Select(i => new BenchOrder { Customer = $"c{i}", Total = i }));
        await context.SaveChangesAsync();
    }
}

if (faults)
{
    await FaultRun.RunAsync(server, version);
    return;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EF Core operations/s (query by key), {Workers} workers, {rounds} alternating rounds of {roundLength.TotalSeconds:0.#} s per side; medians over rounds. mariadbd {server.Port}, {Environment.ProcessorCount} cores."));
Console.WriteLine();
Console.WriteLine("| contexts | plain UseMySql(connection string) | UseProxySql (3 peers) | ratio (median of rounds) |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var pooled in new[] { true, false })
{
    var plain = new Side("plain", plainOptions, pooled);
    var balanced = new Side("UseProxySql", balancedOptions, pooled);
    await plain.MeasureAsync(Workers, roundLength);
    await balanced.MeasureAsync(Workers, roundLength);
    var plainRates = new List<double>();
    var balancedRates = new List<double>();
    var ratios = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var first = round % 2 == 0 ? plain : balanced;
        var second = round % 2 == 0 ? balanced : plain;
        var a = await first.MeasureAsync(Workers, roundLength);
        var b = await second.MeasureAsync(Workers, roundLength);
        var (p, q) = round % 2 == 0 ? (a, b) : (b, a);
        plainRates.Add(p);
        balancedRates.Add(q);
        ratios.Add(q / p);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {(pooled ? "pooled (AddDbContextPool)" : "new per operation")} | {Median(plainRates):0} | {Median(balancedRates):0} | {Median(ratios):0.000} |"));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}
