using System.Globalization;
using System.Text;

namespace ProxySql.FailoverBench;

/// <summary>
/// The scenario's summary: per balancer the medians over the interleaved rounds of the figures issue 12 judges by
/// (<see cref="RunFigures"/>), then every run's own figures.
/// </summary>
internal static class SummaryReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Of(Scenario scenario, IReadOnlyList<RunResult> runs, BenchOptions options)
    {
        var text = new StringBuilder();
        string[] keys = [.. runs.Select(r => r.Key).Distinct()];
        text.Append(Invariant, $"Summary, medians over {options.Rounds} interleaved round(s); steady = the {options.FaultAt.TotalSeconds:0.#} s before the fault, window = the fault's {options.FaultFor.TotalSeconds:0.#} s; latency is open → statement → close:\n\n");
        AppendHeader(text, "balancer");
        foreach (string key in keys)
        {
            RunResult[] mine = [.. runs.Where(r => r.Key == key)];
            AppendRow(text, mine[0].Balancer, RunFigures.Median([.. mine.Select(RunFigures.Of)]));
        }

        if (options.Rounds > 1)
        {
            text.Append("\nEach run:\n\n");
            AppendHeader(text, "balancer, round");
            foreach (RunResult run in runs)
            {
                AppendRow(text, $"{run.Balancer}, {run.Round + 1}", RunFigures.Of(run));
            }
        }

        if (scenario == Scenario.Steady)
        {
            AppendCost(text, runs, keys);
        }

        if (scenario is Scenario.SlowStart or Scenario.Kill or Scenario.Pause)
        {
            text.Append("\nPeer 3 right after it came back (ours: from its state Up again; the others: from the heal), medians:\n\n");
            text.Append("| balancer | new sessions, first 1 s | new sessions, first 3 s | share of bytes, first 3 s | runs (first 1 s) |\n| --- | ---: | ---: | ---: | --- |\n");
            foreach (string key in keys)
            {
                RunResult[] mine = [.. runs.Where(r => r.Key == key)];
                RunFigures[] figures = [.. mine.Select(RunFigures.Of)];
                RunFigures median = RunFigures.Median(figures);
                text.Append(Invariant, $"| {mine[0].Balancer} | {Count(median.NewSessionsFirstSecond)} | {Count(median.NewSessionsFirstThreeSeconds)} | {Percent(median.ShareFirstThreeSeconds)} | {string.Join(" / ", figures.Select(f => Count(f.NewSessionsFirstSecond)))} |\n");
            }
        }

        return text.Append('\n').ToString();
    }

    /// <summary>
    /// The client's cost over the whole measured window, per balancer: successful operations per second, the process's
    /// CPU per operation and bytes allocated per operation; medians over the rounds, then each round's ratio to
    /// MySqlConnector multi-host (the runs of one round are paired) when it ran.
    /// </summary>
    private static void AppendCost(StringBuilder text, IReadOnlyList<RunResult> runs, string[] keys)
    {
        text.Append("\nClient cost over the whole measured window (the whole process: balancer, workers and the relays, which forward the same bytes for every balancer), medians over the rounds:\n\n");
        text.Append("| balancer | ops/s | µs CPU/op | bytes/op | ops/s × multi-host (rounds) | CPU/op × multi-host (rounds) | bytes/op × multi-host (rounds) | new sessions in the window (rounds) | 100 ms samples with a peer not Up (rounds) |\n");
        text.Append("| --- | ---: | ---: | ---: | --- | --- | --- | --- | --- |\n");
        foreach (string key in keys)
        {
            RunResult[] mine = [.. runs.Where(r => r.Key == key)];
            Cost[] costs = [.. mine.Select(Cost.Of)];
            Cost[] baseline = [.. mine.Select(r => runs.FirstOrDefault(b => b.Key == "multihost" && b.Round == r.Round)).Where(b => b is not null).Select(b => Cost.Of(b!))];
            string Ratios(Func<Cost, double> figure)
            {
                if (key == "multihost" || baseline.Length != costs.Length)
                {
                    return "—";
                }

                double[] ratios = [.. costs.Zip(baseline, (c, b) => figure(c) / figure(b))];
                return string.Create(Invariant, $"{Median(ratios):0.000} ({string.Join(" / ", ratios.Select(r => r.ToString("0.00", Invariant)))})");
            }

            text.Append(Invariant, $"| {mine[0].Balancer} | {Median([.. costs.Select(c => c.Rate)]):#,0} | {Median([.. costs.Select(c => c.CpuMicros)]):0.0} | {Median([.. costs.Select(c => c.Bytes)]):#,0} ");
            text.Append(Invariant, $"| {Ratios(c => c.Rate)} | {Ratios(c => c.CpuMicros)} | {Ratios(c => c.Bytes)} ");
            text.Append(Invariant, $"| {string.Join(" / ", mine.Select(NewSessionsInWindow))} | {(mine[0].RelaySamples.Any(r => r.States is not null) ? string.Join(" / ", mine.Select(r => r.RelaySamples.Count(x => x.At >= 0 && x.States is { } states && states.Any(state => state != ProxySqlPeerState.Up)))) : "—")} |\n");
        }
    }

    /// <summary>Sessions the relays accepted over the measured window (new physical connections: handshakes cost the client CPU; probes included).</summary>
    private static long NewSessionsInWindow(RunResult run)
    {
        RelaySample? first = run.RelaySamples.FirstOrDefault(r => r.At >= 0);
        RelaySample? last = run.RelaySamples.LastOrDefault(r => r.At <= run.MeasuredTicks);
        return first is null || last is null ? 0 : last.Sessions.Sum() - first.Sessions.Sum();
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static void AppendHeader(StringBuilder text, string first)
    {
        text.Append(Invariant, $"| {first} | ops/s steady | ops/s in window | × steady | caller errors (before / in window / after) | in use on peer 3 at fault | p50 steady | p99 steady | p50 window | p99 window | peer 3 share steady | peer 3 share window | out of rotation after / for |\n");
        text.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    }

    private static void AppendRow(StringBuilder text, string label, RunFigures f)
    {
        string rotation = double.IsNaN(f.OutAfterSeconds) ? "—" : string.Create(Invariant, $"{f.OutAfterSeconds:0.0} s / {f.OutForSeconds:0.0} s");
        text.Append(Invariant, $"| {label} | {Rate(f.SteadyRate)} | {Rate(f.WindowRate)} | {Fixed(f.Ratio)} | {f.CallerErrors} ({f.ErrorsBefore} / {f.ErrorsInWindow} / {f.ErrorsAfter}) | {Count(f.InUseAtFault)} ");
        text.Append(Invariant, $"| {Ms(f.SteadyP50Ms)} | {Ms(f.SteadyP99Ms)} | {Ms(f.WindowP50Ms)} | {Ms(f.WindowP99Ms)} | {Percent(f.SteadyShare)} | {Percent(f.WindowShare)} | {rotation} |\n");
    }

    private static string Rate(double value) => double.IsNaN(value) ? "—" : value.ToString("#,0", Invariant);

    private static string Fixed(double value) => double.IsNaN(value) ? "—" : value.ToString("0.00", Invariant);

    private static string Count(double value) => double.IsNaN(value) ? "—" : value.ToString("0.#", Invariant);

    private static string Percent(double value) => double.IsNaN(value) ? "—" : (value * 100).ToString("0.0", Invariant) + " %";

    private static string Ms(double value) =>
        double.IsNaN(value) ? "—" : value >= 1000 ? (value / 1000).ToString("0.00", Invariant) + " s" : value.ToString(value < 10 ? "0.0" : "0", Invariant) + " ms";

    /// <summary>One run's client cost: successful operations per second, µs of CPU and bytes allocated per successful operation.</summary>
    private readonly record struct Cost(double Rate, double CpuMicros, double Bytes)
    {
        public static Cost Of(RunResult run)
        {
            double ok = Math.Max(1, run.Samples.Count(s => s.Outcome == Outcome.Ok));
            return new Cost(ok / (run.MeasuredTicks / (double)System.Diagnostics.Stopwatch.Frequency), run.ClientCpu.TotalMicroseconds / ok, run.AllocatedBytes / ok);
        }
    }
}
