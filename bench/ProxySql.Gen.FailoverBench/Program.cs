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

var report = new StringBuilder();
report.Append(CultureInfo.InvariantCulture, $"## Failover benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)\n\n");
report.Append(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}. ");
report.Append(CultureInfo.InvariantCulture, $"Command line: `{string.Join(' ', args)}`.\n\n");
Console.Write(report);

await using MariaDbServer server = await MariaDbServer.StartAsync().ConfigureAwait(false);
foreach (Scenario scenario in options.Scenarios)
{
    var runs = new List<RunResult>();
    foreach (string balancer in options.Balancers)
    {
        await Console.Error.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] {scenario} / {balancer} ...").ConfigureAwait(false);
        runs.Add(await Runner.RunAsync(server, options, scenario, balancer).ConfigureAwait(false));
        MySqlConnection.ClearAllPools();
        GC.Collect();
    }

    string? plot = null;
    if (options.PlotFolder is { } folder)
    {
        string path = Path.Combine(folder, $"failover-{scenario.ToString().ToLowerInvariant()}.png");
        if (FailoverPlot.Write(scenario, runs, options, path))
        {
            plot = path;
            await Console.Error.WriteLineAsync($"[{DateTime.UtcNow:HH:mm:ss}] wrote {path}").ConfigureAwait(false);
        }
    }

    string section = Report.Scenario(scenario, runs, options, plot);
    Console.Write(section);
    report.Append(section);
}

if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report.ToString()).ConfigureAwait(false);
}

return 0;
