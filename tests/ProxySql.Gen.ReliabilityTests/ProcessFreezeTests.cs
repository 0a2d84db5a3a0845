using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ProxySql.ReliabilityTests.Infrastructure;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>
/// This process frozen under load (SIGSTOP, then SIGCONT from a helper shell), as a VM pause, a container's CPU quota
/// or a stop-the-world GC would freeze it: every connect deadline in flight passes while nothing runs. MariaDB keeps
/// running outside; the relays are in this process and freeze with it.
/// </summary>
public sealed class ProcessFreezeTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_process_frozen_past_the_connect_timeout_marks_no_healthy_peer_down_and_fails_no_caller()
    {
        var server = await SharedMariaDb.GetAsync();
        await using var cluster = RelayCluster.Start(server, server, server);
        using var markDowns = new MarkDownCounter();
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var databases = cluster.CreateDatabases(loggerFactory);
        var workload = Workload.For(databases, () => cluster.Describe(databases));
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Workers, stop.Token);
        await Eventually.TrueAsync(() => workload.OpensByPeer().All(n => n >= 300), Deadline, () => cluster.Describe(databases));

        // Three freezes of 4 s, longer than the 3 s connect timeout (ours and the driver's) of every open in flight.
        // Between them the process runs for longer than a connect timeout, so that each freeze is one stall for the
        // opens it catches (an open gets more time once).
        var frozenFor = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            frozenFor.Add(await FreezeThisProcessAsync(TimeSpan.FromSeconds(4)));
            var opensAfter = workload.Opens;
            await Task.Delay(TimeSpan.FromSeconds(5)); // the scenario: a running spell longer than an extended deadline (3 s), not a wait for something
            Assert.True(workload.Opens > opensAfter + 500, cluster.Describe(databases));
        }

        await stop.CancelAsync();
        await run.WaitAsync(Deadline);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"frozen {string.Join(", ", frozenFor.Select(f => f.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"))}; {workload.Summary()}; {markDowns}"));
        foreach (var record in logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning))
            output.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Level} {record.Message}");
        Assert.All(frozenFor, f => Assert.True(f >= TimeSpan.FromSeconds(3.5), $"the process was frozen only {f.TotalSeconds:0.0} s"));
        Assert.Empty(workload.OpenFailures);
        Assert.Empty(workload.StatementFailures);
        Assert.Equal(0, markDowns.Total);
    }

    /// <summary>Has a helper shell stop this process (SIGSTOP) and continue it (SIGCONT) <paramref name="length"/> later; returns how long the freeze really was.</summary>
    private static async Task<TimeSpan> FreezeThisProcessAsync(TimeSpan length)
    {
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var seconds = length.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture);
        using var helper = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", $"sleep 0.2; kill -STOP {pid}; sleep {seconds}; kill -CONT {pid}"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("/bin/sh did not start");
        var longestGap = TimeSpan.Zero;
        var last = Stopwatch.GetTimestamp();

        // The freeze shows as one long gap between two ticks of a 10 ms timer, read until the helper has exited.
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var exited = helper.WaitForExitAsync();
        while (!exited.IsCompleted && await ticks.WaitForNextTickAsync())
        {
            var now = Stopwatch.GetTimestamp();
            var gap = Stopwatch.GetElapsedTime(last, now);
            if (gap > longestGap)
                longestGap = gap;
            last = now;
        }

        await exited;
        Assert.Equal(0, helper.ExitCode);
        return longestGap;
    }
}
