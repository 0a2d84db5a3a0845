using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ProxySql.Testing;

namespace ProxySql.FailoverBench;

/// <summary>
/// One run: a fresh rig (relays, and on the ProxySQL rig three new nodes), one balancer, N workers doing open → <c>SELECT @@port</c> → close for the warm-up and the
/// measured window (the shared <see cref="Workload"/> of tests/ProxySql.Gen.Testing, each operation's stage times recorded through
/// <see cref="WorkloadOptions.OnCompleted"/>), the fault switched on and off on the third peer at fixed times, the relays sampled every 100 ms.
/// </summary>
internal static class Runner
{
    public const int FaultedPeer = 2;
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(60);

    public static async Task<RunResult> RunAsync(MariaDbServer server, BenchOptions options, Scenario scenario, string key)
    {
        string shared = $"Database={MariaDbServer.AppDatabase};User ID={MariaDbServer.AppUser};Password={server.AppPassword}";
        if (options.Pipelining is { } pipelining)
            shared += pipelining ? ";Pipelining=True" : ";Pipelining=False";
        PeerRig rig = await PeerRig.StartAsync(options.Rig, server).ConfigureAwait(false);
        PeerSet peers = rig.Peers;
        IBalancer balancer = key switch
        {
            "ours" => new OursBalancer("ProxySql.Gen", shared, peers.Port),
            "ours-noslow" => new OursBalancer("ProxySql.Gen, SlowStartWindow=0", shared, peers.Port, new Dictionary<string, string> { ["SlowStartWindow"] = "0" }),
            "multihost" => ConnectionStringBalancer.MultiHost(shared, peers.Port),
            "plain" => ConnectionStringBalancer.Plain(shared, peers.Port),
            "django" => new DjangoStyleBalancer(shared, peers.Port),
            _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown balancer."),
        };

        long measuredStart = Stopwatch.GetTimestamp() + Ticks(options.WarmUp);
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var perWorker = new List<OpSample>[options.Workers];
        for (int w = 0; w < perWorker.Length; w++)
        {
            perWorker[w] = new List<OpSample>(1 << 16);
        }

        // the shared harness's loop (open → SELECT @@port → close), every operation's stage times handed back here
        var workload = new Workload(balancer.OpenAsync, static _ => 0, peerCount: 1, options: new WorkloadOptions
        {
            Statement = "SELECT @@port",
            Watchdog = Timeout.InfiniteTimeSpan,
            PauseAfterFailedOpen = ErrorPause,
            PauseAfterFailedStatement = ErrorPause,
            OnCompleted = completion => Record(perWorker[completion.Worker], errors, measuredStart, completion),
        });
        using var stop = new CancellationTokenSource();
        Task workers = workload.RunAsync(options.Workers, stop.Token);
        var relaySamples = new List<RelaySample>();
        Task sampler = SampleAsync(peers, balancer, measuredStart, relaySamples, stop.Token);

        long faultAt = Ticks(options.FaultAt), healAt = Ticks(options.FaultAt + options.FaultFor), end = Ticks(options.Duration);
        // Whole-process cost over the measured window: client CPU and allocations (the relays run in this process too,
        // forwarding the same bytes for every balancer, so differences between balancers are the balancers').
        await DelayUntilAsync(measuredStart).ConfigureAwait(false);
        var countersAtStart = ProcessCounters.Read();
        await DelayUntilAsync(measuredStart + faultAt).ConfigureAwait(false);
        int? inUseBefore = balancer.Peers?[FaultedPeer].ConnectionsInUse;
        if (scenario != Scenario.Steady)
        {
            await rig.FaultAsync(scenario).ConfigureAwait(false);
        }

        // the fault takes effect somewhere inside the verb (an admin round trip): the sessions leased on the node then
        // are those in use just before or just after it, whichever is more
        int? inUseAtFault = balancer.Peers is { } view ? Math.Max(inUseBefore ?? 0, view[FaultedPeer].ConnectionsInUse) : null;
        long faultDone = Stopwatch.GetTimestamp() - measuredStart;
        await DelayUntilAsync(measuredStart + healAt).ConfigureAwait(false);
        if (scenario != Scenario.Steady)
        {
            await rig.HealAsync(scenario).ConfigureAwait(false);
        }

        long healDone = Stopwatch.GetTimestamp() - measuredStart;
        await DelayUntilAsync(measuredStart + end).ConfigureAwait(false);
        var counters = ProcessCounters.Read() - countersAtStart;
        var cpu = counters.Cpu;
        var allocated = counters.AllocatedBytes;
        await stop.CancelAsync().ConfigureAwait(false);

        int hung = 0;
        try
        {
            await workers.WaitAsync(StopGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            hung = workload.ActiveWorkers;
        }

        await sampler.ConfigureAwait(false);
        await balancer.DisposeAsync().AsTask().WaitAsync(StopGrace).ConfigureAwait(false);
        await rig.DisposeAsync().ConfigureAwait(false);

        List<OpSample> samples = [];
        foreach (List<OpSample> list in perWorker)
        {
            lock (list)
            {
                samples.AddRange(list.Where(s => s.Start >= 0 && s.Start < end));
            }
        }

        var ok = samples.Count(sample => sample.Outcome == Outcome.Ok);
        Console.Error.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"cost {scenario} {key}: {ok / (end / (double)Stopwatch.Frequency):0} ops/s, {cpu.TotalMicroseconds / Math.Max(1, ok):0.0} µs CPU/op, {allocated / (double)Math.Max(1, ok):0} bytes allocated/op, " +
            $"per op: {PerOp(counters.WorkItems, ok)} thread-pool work items, {PerOp(counters.VoluntarySwitches, ok)} voluntary / {PerOp(counters.InvoluntarySwitches, ok)} involuntary context switches, {PerOp(counters.LockContentions, ok)} lock contentions"));
        return new RunResult(scenario, balancer.Name, key, end, faultAt, healAt, samples, relaySamples, errors, hung)
        {
            FaultDoneTicks = faultDone,
            HealDoneTicks = healDone,
            InUseAtFault = inUseAtFault,
            ClientCpu = cpu,
            AllocatedBytes = allocated,
        };
    }

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static void Record(List<OpSample> samples, ConcurrentDictionary<string, int> errors, long measuredStart, WorkloadCompletion completion)
    {
        Outcome outcome = completion.OpenFailed ? Outcome.OpenError : completion.StatementFailed ? Outcome.StatementError : Outcome.Ok;
        var sample = new OpSample(completion.Started - measuredStart, completion.Opened - completion.Started, completion.Ended - completion.Started, outcome);
        lock (samples)
        {
            samples.Add(sample);
        }

        if (completion.Error is { } error)
        {
            string message = error.Message.Length > 400 ? error.Message[..400] + "…" : error.Message;
            errors.AddOrUpdate($"{(completion.OpenFailed ? "open" : "statement")}: {error.GetType().Name}: {message}", 1, static (_, n) => n + 1);
        }
    }

    private static async Task SampleAsync(PeerSet peers, IBalancer balancer, long measuredStart, List<RelaySample> samples, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SampleEvery);
        do
        {
            samples.Add(new RelaySample(
                Stopwatch.GetTimestamp() - measuredStart,
                peers.Bytes(),
                [.. peers.Relays.Select(r => r.OpenSessions)],
                peers.Sessions(),
                balancer.Peers is { } view ? [.. view.Select(p => p.State)] : null));
        }
        while (await Next(timer, stop).ConfigureAwait(false));

        static async ValueTask<bool> Next(PeriodicTimer timer, CancellationToken stop)
        {
            try
            {
                return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private static Task DelayUntilAsync(long timestamp)
    {
        long remaining = timestamp - Stopwatch.GetTimestamp();
        return remaining <= 0 ? Task.CompletedTask : Task.Delay(TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
    }

    private static string PerOp(long count, int ops) => count < 0 ? "n/a" : (count / (double)Math.Max(1, ops)).ToString("0.00", CultureInfo.InvariantCulture);
}
