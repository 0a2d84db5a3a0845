using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ProxySql.FailoverBench;

/// <summary>Turns the runs of one scenario into markdown tables.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <param name="plot">The scenario's PNG, embedded under the heading when given (relative to the report file).</param>
    public static string Scenario(Scenario scenario, IReadOnlyList<RunResult> runs, BenchOptions options, string? plot = null)
    {
        var text = new StringBuilder();
        string fault = scenario == FailoverBench.Scenario.Steady
            ? "no fault (the \"fault window\" columns cover the same seconds as in the other scenarios)"
            : $"{scenario.Describe(options.Rig)} on peer 3 (127.0.0.4) from {options.FaultAt.TotalSeconds:0.#} s to {(options.FaultAt + options.FaultFor).TotalSeconds:0.#} s";
        text.Append(Invariant, $"### {scenario.ToString().ToLowerInvariant()}: {fault}\n\n");
        text.Append(Invariant, $"{options.Workers} workers, {options.Duration.TotalSeconds:0.#} s measured per balancer after a {options.WarmUp.TotalSeconds:0.#} s warm-up, pipelining {options.PipeliningName}.\n\n");
        if (plot is not null)
        {
            string relative = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(options.Output ?? "report.md"))!, Path.GetFullPath(plot)).Replace('\\', '/');
            text.Append(Invariant, $"![{scenario.ToString().ToLowerInvariant()}: throughput and share of traffic per peer over time]({relative})\n\n");
        }


        RunResult? plain = runs.FirstOrDefault(r => r.Key == "plain");
        double plainRate = plain is null ? double.NaN : Rate(plain);
        double plainP99 = plain is null ? double.NaN : Percentile(OpenTimes(plain.Samples), 0.99);

        text.Append("| balancer | ops/s | × plain | open errors | statement errors | open p50 | open p99 (× plain) | open max | op max | fault window: ops/s | open p99 | open max | op max | ops over 1 s |\n");
        text.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (RunResult run in runs)
        {
            string label = Label(run, options);
            long[] open = OpenTimes(run.Samples);
            // Latency in the fault window: every operation that overlapped it, including those caught in flight.
            OpSample[] window = [.. run.Samples.Where(s => s.Start < run.HealAtTicks && s.Start + s.TotalTicks > run.FaultAtTicks)];
            long[] windowOpen = OpenTimes(window);
            long[] windowTotal = [.. window.Select(s => s.TotalTicks)];
            double p99 = Percentile(open, 0.99);
            text.Append(Invariant, $"| {label} | {Rate(run):0} | {Ratio(Rate(run), plainRate)} | {run.Samples.Count(s => s.Outcome == Outcome.OpenError)} | {run.Samples.Count(s => s.Outcome == Outcome.StatementError)} ");
            text.Append(Invariant, $"| {Ms(Percentile(open, 0.50))} | {Ms(p99)} ({Ratio(p99, plainP99)}) | {Ms(Max(open))} | {Ms(run.Samples.Count == 0 ? double.NaN : run.Samples.Max(s => s.TotalTicks))} ");
            double windowRate = run.Samples.Count(s => s.Outcome == Outcome.Ok && s.Start >= run.FaultAtTicks && s.Start < run.HealAtTicks)
                / ((double)(run.HealAtTicks - run.FaultAtTicks) / Stopwatch.Frequency);
            text.Append(Invariant, $"| {windowRate:0} | {Ms(Percentile(windowOpen, 0.99))} | {Ms(Max(windowOpen))} | {Ms(Max(windowTotal))} | {windowTotal.Count(t => t > Stopwatch.Frequency)} |\n");
        }

        text.Append("\nShare of traffic per peer (peer 1 / 2 / 3, % of bytes each relay forwarded in that period; peer 3 is the faulted one):\n\n");
        text.Append("| balancer | sessions open before fault | before fault | during fault | after heal | last 5 s | peer 3 back after heal | peer 3 drained (pause) |\n");
        text.Append("| --- | ---: | --- | --- | --- | --- | --- | --- |\n");
        foreach (RunResult run in runs)
        {
            long fiveSeconds = 5 * Stopwatch.Frequency;
            int sessions = run.RelaySamples.LastOrDefault(r => r.At < run.FaultAtTicks)?.OpenSessions.Sum() ?? 0;
            text.Append(Invariant, $"| {Label(run, options)} | {sessions} | {Shares(run, 0, run.FaultAtTicks)} | {Shares(run, run.FaultAtTicks, run.HealAtTicks)} ");
            text.Append(Invariant, $"| {Shares(run, run.HealAtTicks, run.MeasuredTicks)} | {Shares(run, run.MeasuredTicks - fiveSeconds, run.MeasuredTicks)} ");
            text.Append(Invariant, $"| {BackAfterHeal(run)} | {Drained(run)} |\n");
        }

        text.Append('\n');
        foreach (RunResult run in runs)
        {
            if (run.HungWorkers > 0)
            {
                text.Append(Invariant, $"- {Label(run, options)}: {run.HungWorkers} workers still hung 60 s after the end of the run.\n");
            }

            foreach ((string error, int count) in run.Errors.OrderByDescending(e => e.Value).Take(3))
            {
                text.Append(Invariant, $"- {Label(run, options)}: {count} × {error.Replace("|", "/", StringComparison.Ordinal)}\n");
            }
        }

        return text.Append('\n').ToString();
    }

    private static string Label(RunResult run, BenchOptions options) => options.Rounds > 1 ? $"{run.Balancer}, round {run.Round + 1}" : run.Balancer;

    private static double Rate(RunResult run) =>
        run.Samples.Count(s => s.Outcome == Outcome.Ok) / ((double)run.MeasuredTicks / Stopwatch.Frequency);

    private static long[] OpenTimes(IEnumerable<OpSample> samples)
    {
        long[] times = [.. samples.Select(s => s.OpenTicks)];
        Array.Sort(times);
        return times;
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Max(long[] values) => values.Length == 0 ? double.NaN : values.Max();

    private static string Ratio(double value, double baseline) =>
        double.IsNaN(value) || double.IsNaN(baseline) || baseline == 0 ? "—" : (value / baseline).ToString("0.00", Invariant);

    private static string Ms(double ticks)
    {
        if (double.IsNaN(ticks))
        {
            return "—";
        }

        double ms = ticks * 1000 / Stopwatch.Frequency;
        return ms >= 1000 ? (ms / 1000).ToString("0.00", Invariant) + " s" : ms.ToString(ms < 10 ? "0.00" : "0", Invariant) + " ms";
    }

    /// <summary>The counters as last sampled at or before <paramref name="at"/> (so a burst right after a heal, when a
    /// blackholed relay flushes what it held, is not counted in the fault window).</summary>
    private static long[]? BytesAt(RunResult run, long at) =>
        run.RelaySamples.LastOrDefault(s => s.At <= at)?.Bytes ?? run.RelaySamples.FirstOrDefault()?.Bytes;

    private static double[]? ShareValues(RunResult run, long from, long to)
    {
        if (BytesAt(run, from) is not { } start || BytesAt(run, to) is not { } end)
        {
            return null;
        }

        double[] delta = [.. end.Zip(start, (e, s) => (double)(e - s))];
        double total = delta.Sum();
        return total <= 0 ? null : [.. delta.Select(d => d / total)];
    }

    private static string Shares(RunResult run, long from, long to) =>
        ShareValues(run, from, to) is { } shares ? string.Join(" / ", shares.Select(s => (s * 100).ToString("0", Invariant))) : "—";

    /// <summary>Whether the balancer sent peer 3 anything before the fault (the plain baseline never does).</summary>
    private static bool UsesFaultedPeer(RunResult run) =>
        ShareValues(run, 0, run.FaultAtTicks) is { } shares && shares[Runner.FaultedPeer] > 0;

    /// <summary>The first whole second after the heal in which peer 3 carried at least 20% of the bytes.</summary>
    private static string BackAfterHeal(RunResult run)
    {
        if (run.Scenario == FailoverBench.Scenario.Steady || !UsesFaultedPeer(run))
        {
            return "—";
        }

        for (long from = run.HealAtTicks; from < run.MeasuredTicks; from += Stopwatch.Frequency)
        {
            if (ShareValues(run, from, from + Stopwatch.Frequency) is { } shares && shares[Runner.FaultedPeer] >= 0.20)
            {
                return $"+{(double)(from - run.HealAtTicks + Stopwatch.Frequency) / Stopwatch.Frequency:0} s";
            }
        }

        return "no";
    }

    /// <summary>For pause: when peer 3's relay first had no open session, counted from the pause.</summary>
    private static string Drained(RunResult run)
    {
        if (run.Scenario != FailoverBench.Scenario.Pause || !UsesFaultedPeer(run))
        {
            return "—";
        }

        RelaySample? drained = run.RelaySamples.FirstOrDefault(s => s.At >= run.FaultAtTicks && s.At <= run.HealAtTicks && s.OpenSessions[Runner.FaultedPeer] == 0);
        if (drained is not null)
        {
            return $"yes, +{(double)(drained.At - run.FaultAtTicks) / Stopwatch.Frequency:0.0} s";
        }

        int atHeal = run.RelaySamples.LastOrDefault(s => s.At <= run.HealAtTicks)?.OpenSessions[Runner.FaultedPeer] ?? -1;
        return $"no ({atHeal} sessions open at heal)";
    }
}
