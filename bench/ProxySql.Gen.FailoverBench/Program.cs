using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using MySqlConnector;
using ProxySql.FailoverBench;
using ProxySql.Testing;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message + "\n\n" + BenchOptions.Usage).ConfigureAwait(false);
    return 2;
}

if (options.PlotFolder is not null)
{
    try
    {
        FailoverPlot.CheckCanRender();
    }
    catch (InvalidOperationException e)
    {
        await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
        return 2;
    }
}

if (options.Rig == RigKind.ProxySql)
{
    try
    {
        ProxySqlBinary.Require();
    }
    catch (ProxySqlStartException e)
    {
        await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
        return 2;
    }
}

var report = new StringBuilder();
report.Append(CultureInfo.InvariantCulture, $"## Failover benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n");
report.Append(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}. ");
report.Append(CultureInfo.InvariantCulture, $"Command line: `{string.Join(' ', args)}`. ");
report.Append(options.Rig == RigKind.ProxySql
    ? "Rig: three real ProxySQL 2.7.2 nodes (one started per run), each behind a relay on 127.0.0.2/.3/.4, in front of one MariaDB.\n\n"
    : "Rig: three relays on 127.0.0.2/.3/.4 in front of one MariaDB (no ProxySQL).\n\n");
Console.Write(report);

await using MariaDbServer server = await MariaDbServer.StartAsync().ConfigureAwait(false);
if (options.Prime > TimeSpan.Zero)
{
    // The first balancer to run in a process pays the JIT's tiering and the server's cold caches: one unrecorded
    // steady run of each (in both orders' first slot) takes that off the measured rounds.
    var prime = options with { Duration = options.Prime, WarmUp = TimeSpan.Zero, FaultAt = TimeSpan.Zero, FaultFor = TimeSpan.Zero };
    foreach (string balancer in options.Balancers.Distinct())
    {
        await Console.Error.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] priming {balancer} for {options.Prime.TotalSeconds:0} s (not recorded) ...").ConfigureAwait(false);
        _ = await Runner.RunAsync(server, prime, Scenario.Steady, balancer).ConfigureAwait(false);
        MySqlConnection.ClearAllPools();
        GC.Collect();
    }
}

foreach (Scenario scenario in options.Scenarios)
{
    // rounds interleave the balancers and alternate their order (a, b, c, c, b, a, a, b, c, ...), so that the machine's
    // load drifts over all of them alike and no balancer always runs first (the warmest or coldest slot)
    var runs = new List<RunResult>();
    for (int round = 0; round < options.Rounds; round++)
    {
        foreach (string balancer in round % 2 == 0 ? options.Balancers : options.Balancers.Reverse())
        {
            await Console.Error.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] {scenario} / {balancer} / round {round + 1} of {options.Rounds} ...").ConfigureAwait(false);
            runs.Add(await Runner.RunAsync(server, options, scenario, balancer).ConfigureAwait(false) with { Round = round });
            MySqlConnection.ClearAllPools();
            GC.Collect();
        }
    }

    string? plot = null;
    if (options.PlotFolder is { } folder)
    {
        string path = Path.Combine(folder, $"failover-{scenario.ToString().ToLowerInvariant()}.png");
        if (FailoverPlot.Write(scenario, [.. runs.Where(r => r.Round == 0)], options, path))
        {
            plot = path;
            await Console.Error.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] wrote {path}").ConfigureAwait(false);
        }
    }

    string section = Report.Scenario(scenario, runs, options, plot) + SummaryReport.Of(scenario, runs, options);
    Console.Write(section);
    report.Append(section);
}

if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report.ToString()).ConfigureAwait(false);
}

return 0;
