using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxySql;
using ProxySql.Demo;
using ProxySql.Testing;

// The ProxySql.Gen demo: see DemoOptions.Usage (or run with --help).
var startedAt = Stopwatch.GetTimestamp();
var sinceProcessStart = SinceProcessStart();
var output = Console.Out;

var options = DemoOptions.Parse(args, out var usageError);
if (options is null)
{
    await Console.Error.WriteLineAsync($"Demo: {usageError}").ConfigureAwait(false);
    return 2;
}

if (options.Help)
{
    await output.WriteLineAsync(DemoOptions.Usage).ConfigureAwait(false);
    return 0;
}

var live = !options.Plain && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb");

// What plays the three ProxySQL nodes: the real binary when it is found (or asked for), the relays otherwise.
string? proxySqlBinary = null;
string nodesWhy;
if (options.Nodes == NodeChoice.Relay)
{
    nodesWhy = "--nodes relay";
}
else
{
    proxySqlBinary = ProxySqlBinary.Find(out nodesWhy);
    if (proxySqlBinary is null && (ProxySqlBinary.IsExplicitlySet || options.Nodes == NodeChoice.ProxySql))
    {
        await Console.Error.WriteLineAsync($"Demo: real ProxySQL was asked for, but {nodesWhy}. Set {ProxySqlBinary.Variable} to a proxysql binary (default {ProxySqlBinary.DefaultPath}), or run with --nodes relay.").ConfigureAwait(false);
        return 3;
    }
}

var realNodes = proxySqlBinary is not null;
if (options.Scenario == ScenarioKind.Blackhole && realNodes)
{
    await Console.Error.WriteLineAsync("Demo: --scenario blackhole needs the relays (--nodes relay): the demo cannot blackhole a real ProxySQL node; try --scenario backends.").ConfigureAwait(false);
    return 2;
}

if (options.Scenario == ScenarioKind.Backends && !realNodes)
{
    await Console.Error.WriteLineAsync($"Demo: --scenario backends needs real ProxySQL nodes (a relay has no MySQL servers of its own), but {nodesWhy}; or use --scenario blackhole.").ConfigureAwait(false);
    return 2;
}

var nodesTitle = realNodes ? "3 real ProxySQL nodes" : "3 relays standing in for ProxySQL";
await output.WriteLineAsync(realNodes
    ? $"Nodes: real ProxySQL ({ProxySqlVersion(proxySqlBinary!)}), binary from {nodesWhy}"
    : $"Nodes: relays standing in for ProxySQL (fault-injecting TCP relays): {nodesWhy}").ConfigureAwait(false);
using var abort = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // clean up first: mariadbd is killed by its PID below
    abort.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    abort.Cancel();
});

// 1. The real parts: one MariaDB, and per configured peer a ProxySQL node (or a relay standing in for one).
var appSettings = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: false).Build();
await output.WriteLineAsync($"Starting MariaDB (its own mariadbd, files under the temp folder) and {(realNodes ? "3 ProxySQL nodes" : "3 relays")}...").ConfigureAwait(false);
DemoRig rig;
try
{
    rig = await DemoRig.StartAsync(appSettings, proxySqlBinary, abort.Token).ConfigureAwait(false);
}
catch (ProxySqlStartException ex)
{
    await Console.Error.WriteLineAsync($"Demo: a ProxySQL node could not be started: {ex.Message}").ConfigureAwait(false);
    return 3;
}
catch (MariaDbStartException ex)
{
    await Console.Error.WriteLineAsync($"Demo: MariaDB could not be started: {ex.Message}").ConfigureAwait(false);
    return 3;
}
catch (OperationCanceledException) when (abort.IsCancellationRequested)
{
    return 130; // interrupted during the start; the half-started server removed itself
}

var mariaDbReady = Stopwatch.GetElapsedTime(startedAt);
var rigReadyAt = Stopwatch.GetTimestamp();
var exitCode = 1;
await using (rig.ConfigureAwait(false))
{
    // 2. The application side, as a user writes it: configuration (appsettings.json, with the peers' addresses
    //    overridden by a layer on top) and the generated class registered in a service collection.
    var services = new ServiceCollection();
    services.AddProxySqlDatabases<DemoDatabases>(rig.Configuration(AppContext.BaseDirectory));
    var provider = services.BuildServiceProvider();
    await using (provider.ConfigureAwait(false))
    {
        var databases = provider.GetRequiredService<DemoDatabases>();
        var nodes = databases.Peers.Select(peer => new Node(peer, rig.Nodes[peer.ConfigurationKey])).ToArray();
        foreach (var node in nodes)
            await output.WriteLineAsync(Invariant($"  {node.Label,-19} {node.Host.Describe} :{rig.Server.Port} (pid {rig.Server.Pid})")).ConfigureAwait(false);

        var workload = new DemoWorkload(databases, nodes);
        await using (workload.ConfigureAwait(false))
        {
            try
            {
                await workload.RunOnceAsync(abort.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Reported, then the parts are cleaned up below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                await Console.Error.WriteLineAsync($"Demo: the first query through the balancer failed: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            var firstQuery = Stopwatch.GetElapsedTime(rigReadyAt);
            var toFirstQuery = Stopwatch.GetElapsedTime(startedAt);
            await output.WriteLineAsync(Invariant($"Startup: process start to Main {sinceProcessStart.TotalMilliseconds:0} ms; MariaDB + nodes ready {mariaDbReady.TotalMilliseconds:0} ms later;")).ConfigureAwait(false);
            await output.WriteLineAsync(Invariant($"         then configuration, DI, balancer and first query {firstQuery.TotalMilliseconds:0} ms")).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);

            // 3. The workload and the scripted scenario, watched live.
            var events = new EventLog(Stopwatch.GetTimestamp());
            var scenario = new Scenario(nodes, options, events);
            var view = new LiveView(nodes, workload, events, options, nodesTitle, output, live, Stopwatch.GetTimestamp(), scenario.PlannedDuration);
            using var viewStop = new CancellationTokenSource();
            var viewRun = view.RunAsync(viewStop.Token);
            workload.Start(options.Workers);
            var interrupted = false;
            try
            {
                await scenario.RunAsync(abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                interrupted = true;
                events.Add("interrupted: cleaning up", EventKind.Failure);
                await scenario.LiftFaultsAsync().ConfigureAwait(false); // let stalled statements finish
            }

            var stoppedCleanly = true;
            try
            {
                await workload.StopAsync(TimeSpan.FromSeconds(40)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                stoppedCleanly = false;
            }
            finally
            {
                // the last frame, and the cursor shown again, whatever happened above
                await viewStop.CancelAsync().ConfigureAwait(false);
                await viewRun.ConfigureAwait(false);
            }

            // 4. The summary and the verdict.
            var summary = new Summary(nodes, workload, scenario.Drain, options, Stopwatch.GetElapsedTime(startedAt) - toFirstQuery);
            exitCode = interrupted ? 130 : summary.ExitCode;
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync(summary.Render(stoppedCleanly)).ConfigureAwait(false);
        }
    }

    await output.WriteLineAsync("Cleanup: " + await rig.StopAsync().ConfigureAwait(false)).ConfigureAwait(false);
    await output.WriteLineAsync(Invariant($"Memory: peak RSS of the demo process {PeakResidentMegabytes():0} MB (VmHWM, without mariadbd)")).ConfigureAwait(false);
}

await output.WriteLineAsync(exitCode == 0 ? "RESULT: PASS" : Invariant($"RESULT: FAIL (exit code {exitCode})")).ConfigureAwait(false);
return exitCode;

static string ProxySqlVersion(string binary)
{
    try
    {
        using var process = Process.Start(new ProcessStartInfo(binary, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
        var text = process?.StandardOutput.ReadToEnd().Trim() ?? "";
        process?.WaitForExit(5000);
        var line = text.Split('\n').FirstOrDefault(l => l.Contains("ProxySQL version", StringComparison.OrdinalIgnoreCase)) ?? text.Split('\n')[0];
        return line.Length > 0 ? line : "version unknown";
    }
    catch (System.ComponentModel.Win32Exception ex)
    {
        return "version unknown: " + ex.Message;
    }
}

static TimeSpan SinceProcessStart()
{
    using var self = Process.GetCurrentProcess();
    return DateTime.Now - self.StartTime;
}

static double PeakResidentMegabytes()
{
    try
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kilobytes is null ? double.NaN : double.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024;
    }
    catch (IOException)
    {
        return double.NaN;
    }
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
