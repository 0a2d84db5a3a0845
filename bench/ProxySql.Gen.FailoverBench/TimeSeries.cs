using System.Diagnostics;

namespace ProxySql.FailoverBench;

/// <summary>
/// One run cut into equal time bins over the measured window: successful operations per second (by the time each
/// completed) and each peer's share of the bytes its relay forwarded in the bin (the relays are sampled every
/// 100 ms). What the plots draw.
/// </summary>
internal sealed class TimeSeries
{
    private TimeSeries(double[] binStarts, double[] opsPerSecond, double[][] shares)
    {
        BinStarts = binStarts;
        OpsPerSecond = opsPerSecond;
        Shares = shares;
    }

    /// <summary>The start of each bin, in seconds from the start of the measured window.</summary>
    public double[] BinStarts { get; }

    /// <summary>Successful operations completed in each bin, per second.</summary>
    public double[] OpsPerSecond { get; }

    /// <summary>Per peer, its share (0..1) of the bytes forwarded in each bin; NaN where nothing was forwarded.</summary>
    public double[][] Shares { get; }

    public static TimeSeries Of(RunResult run, TimeSpan bin)
    {
        long binTicks = Runner.Ticks(bin);
        int count = (int)Math.Ceiling((double)run.MeasuredTicks / binTicks);
        var starts = new double[count];
        var ops = new double[count];
        int peers = run.RelaySamples.FirstOrDefault()?.Bytes.Length ?? 0;
        double[][] shares = [.. Enumerable.Range(0, peers).Select(_ => new double[count])];
        foreach (OpSample sample in run.Samples)
        {
            long completed = sample.Start + sample.TotalTicks;
            if (sample.Outcome == Outcome.Ok && completed >= 0 && completed < run.MeasuredTicks)
            {
                ops[completed / binTicks]++;
            }
        }

        for (int b = 0; b < count; b++)
        {
            starts[b] = (double)(b * binTicks) / Stopwatch.Frequency;
            long from = b * binTicks, to = Math.Min(run.MeasuredTicks, (b + 1) * binTicks);
            ops[b] /= (double)(to - from) / Stopwatch.Frequency;
            double[]? share = ShareBetween(run, from, to);
            for (int p = 0; p < peers; p++)
            {
                shares[p][b] = share?[p] ?? double.NaN;
            }
        }

        return new TimeSeries(starts, ops, shares);
    }

    /// <summary>The relays' sample last taken at or before <paramref name="at"/>.</summary>
    private static RelaySample? SampleAt(RunResult run, long at) =>
        run.RelaySamples.LastOrDefault(s => s.At <= at) ?? run.RelaySamples.FirstOrDefault();

    private static double[]? ShareBetween(RunResult run, long from, long to)
    {
        // When the sampler was held up (a GC, a starved thread pool) and no sample fell in the bin, the bin is
        // measured up to the next sample instead of showing no traffic.
        if (SampleAt(run, from) is not { } first || (SampleAt(run, to) is { } last && last.At > first.At ? last : run.RelaySamples.FirstOrDefault(s => s.At > first.At)) is not { } next)
        {
            return null;
        }

        long[] start = first.Bytes, end = next.Bytes;

        double[] delta = [.. end.Zip(start, (e, s) => (double)(e - s))];
        double total = delta.Sum();
        return total <= 0 ? null : [.. delta.Select(d => d / total)];
    }
}
