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
}
