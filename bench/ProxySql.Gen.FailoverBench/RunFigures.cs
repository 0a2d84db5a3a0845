using System.Diagnostics;

namespace ProxySql.FailoverBench;

/// <summary>
/// The figures issue 12 judges a run by: throughput in the steady window (before the fault) and in the fault window of
/// the same run, caller errors, operation latency (open → statement → close) in both windows, the faulted peer's share,
/// how long ours kept it out of rotation, and the new sessions it got right after it came back.
/// </summary>
internal sealed record RunFigures
{
    /// <summary>Successful operations per second that started before the fault.</summary>
    public double SteadyRate { get; init; }

    /// <summary>Successful operations per second that started in the fault window.</summary>
    public double WindowRate { get; init; }

    public double Ratio => SteadyRate == 0 ? double.NaN : WindowRate / SteadyRate;

    /// <summary>Failed opens and statements over the whole measured window.</summary>
    public int CallerErrors { get; init; }

    /// <summary>Of <see cref="CallerErrors"/>, those of operations started before the fault.</summary>
    public int ErrorsBefore { get; init; }

    /// <summary>Of <see cref="CallerErrors"/>, those of operations started in the fault window.</summary>
    public int ErrorsInWindow { get; init; }

    /// <summary>Of <see cref="CallerErrors"/>, those of operations started after the heal.</summary>
    public int ErrorsAfter { get; init; }

    public double SteadyP50Ms { get; init; }

    public double SteadyP99Ms { get; init; }

    /// <summary>Latency of the operations that overlapped the fault window (those caught in flight included).</summary>
    public double WindowP50Ms { get; init; }

    public double WindowP99Ms { get; init; }

    /// <summary>The faulted peer's share of the bytes forwarded before the fault (0..1).</summary>
    public double SteadyShare { get; init; }

    /// <summary>The faulted peer's share of the bytes forwarded in the fault window (0..1).</summary>
    public double WindowShare { get; init; }

    /// <summary>Ours: seconds from the fault's start to the first sample with the faulted peer not Up (NaN: never).</summary>
    public double OutAfterSeconds { get; init; } = double.NaN;

    /// <summary>Ours: seconds the faulted peer was not Up, from the first such sample to the next Up one (NaN: never out).</summary>
    public double OutForSeconds { get; init; } = double.NaN;

    /// <summary>Ours: sessions in use on the faulted peer when the fault started.</summary>
    public double InUseAtFault { get; init; } = double.NaN;

    /// <summary>New sessions the faulted peer accepted in the first second after it was back (ours: its state Up; others: the heal).</summary>
    public double NewSessionsFirstSecond { get; init; }

    /// <summary>The same over the first three seconds.</summary>
    public double NewSessionsFirstThreeSeconds { get; init; }

    /// <summary>The faulted peer's share of the bytes in the first three seconds after it was back.</summary>
    public double ShareFirstThreeSeconds { get; init; }

    public static RunFigures Of(RunResult run)
    {
        double frequency = Stopwatch.Frequency;
        IReadOnlyList<OpSample> samples = run.Samples;
        long fault = run.FaultAtTicks, heal = run.HealAtTicks;
        OpSample[] steady = [.. samples.Where(s => s.Start < fault)];
        OpSample[] window = [.. samples.Where(s => s.Start < heal && s.Start + s.TotalTicks > fault)];
        (long? outAt, long? backAt) = OutOfRotation(run);
        long back = backAt ?? run.HealDoneTicks;
        long second = Stopwatch.Frequency;
        return new RunFigures
        {
            SteadyRate = steady.Count(s => s.Outcome == Outcome.Ok) / (fault / frequency),
            WindowRate = samples.Count(s => s.Outcome == Outcome.Ok && s.Start >= fault && s.Start < heal) / ((heal - fault) / frequency),
            CallerErrors = samples.Count(s => s.Outcome != Outcome.Ok),
            ErrorsBefore = steady.Count(s => s.Outcome != Outcome.Ok),
            ErrorsInWindow = samples.Count(s => s.Outcome != Outcome.Ok && s.Start >= fault && s.Start < heal),
            ErrorsAfter = samples.Count(s => s.Outcome != Outcome.Ok && s.Start >= heal),
            SteadyP50Ms = Percentile(steady, 0.50),
            SteadyP99Ms = Percentile(steady, 0.99),
            WindowP50Ms = Percentile(window, 0.50),
            WindowP99Ms = Percentile(window, 0.99),
            SteadyShare = Share(run, 0, fault),
            WindowShare = Share(run, fault, heal),
            OutAfterSeconds = outAt is { } o ? (o - fault) / frequency : double.NaN,
            OutForSeconds = outAt is { } from ? ((backAt ?? run.MeasuredTicks) - from) / frequency : double.NaN,
            InUseAtFault = run.InUseAtFault ?? double.NaN,
            NewSessionsFirstSecond = NewSessions(run, back, back + second),
            NewSessionsFirstThreeSeconds = NewSessions(run, back, back + (3 * second)),
            ShareFirstThreeSeconds = Share(run, back, back + (3 * second)),
        };
    }

    /// <summary>The median of each figure over several runs of one balancer.</summary>
    public static RunFigures Median(IReadOnlyList<RunFigures> runs) => new()
    {
        SteadyRate = Median(runs, f => f.SteadyRate),
        WindowRate = Median(runs, f => f.WindowRate),
        CallerErrors = (int)Math.Round(Median(runs, f => f.CallerErrors)),
        ErrorsBefore = (int)Math.Round(Median(runs, f => f.ErrorsBefore)),
        ErrorsInWindow = (int)Math.Round(Median(runs, f => f.ErrorsInWindow)),
        ErrorsAfter = (int)Math.Round(Median(runs, f => f.ErrorsAfter)),
        SteadyP50Ms = Median(runs, f => f.SteadyP50Ms),
        SteadyP99Ms = Median(runs, f => f.SteadyP99Ms),
        WindowP50Ms = Median(runs, f => f.WindowP50Ms),
        WindowP99Ms = Median(runs, f => f.WindowP99Ms),
        SteadyShare = Median(runs, f => f.SteadyShare),
        WindowShare = Median(runs, f => f.WindowShare),
        OutAfterSeconds = Median(runs, f => f.OutAfterSeconds),
        OutForSeconds = Median(runs, f => f.OutForSeconds),
        InUseAtFault = Median(runs, f => f.InUseAtFault),
        NewSessionsFirstSecond = Median(runs, f => f.NewSessionsFirstSecond),
        NewSessionsFirstThreeSeconds = Median(runs, f => f.NewSessionsFirstThreeSeconds),
        ShareFirstThreeSeconds = Median(runs, f => f.ShareFirstThreeSeconds),
    };

    /// <summary>A median over the runs that have the figure (NaN when none has it).</summary>
    private static double Median(IReadOnlyList<RunFigures> runs, Func<RunFigures, double> figure)
    {
        double[] values = [.. runs.Select(figure).Where(v => !double.IsNaN(v)).Order()];
        if (values.Length == 0)
        {
            return double.NaN;
        }

        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double Percentile(OpSample[] samples, double p)
    {
        if (samples.Length == 0)
        {
            return double.NaN;
        }

        long[] totals = [.. samples.Select(s => s.TotalTicks).Order()];
        return totals[Math.Clamp((int)Math.Ceiling(p * totals.Length) - 1, 0, totals.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>Ours: when, after the fault started, the faulted peer was first seen not Up, and when it was next seen Up.</summary>
    private static (long? Out, long? Back) OutOfRotation(RunResult run)
    {
        if (run.Scenario == Scenario.Steady)
        {
            return (null, null);
        }

        RelaySample? outSample = run.RelaySamples.FirstOrDefault(s => s.At >= run.FaultAtTicks && s.States is { } states && states[Runner.FaultedPeer] != ProxySqlPeerState.Up);
        if (outSample is null)
        {
            return (null, null);
        }

        RelaySample? back = run.RelaySamples.FirstOrDefault(s => s.At > outSample.At && s.States![Runner.FaultedPeer] == ProxySqlPeerState.Up);
        return (outSample.At, back?.At);
    }

    private static RelaySample? At(RunResult run, long at) =>
        run.RelaySamples.LastOrDefault(s => s.At <= at) ?? run.RelaySamples.FirstOrDefault();

    /// <summary>Sessions accepted from the last sample before <paramref name="from"/> (the sample that saw the peer Up
    /// again already counts the sessions opened in the same 100 ms) to the last sample at or before <paramref name="to"/>.</summary>
    private static double NewSessions(RunResult run, long from, long to) =>
        At(run, from - 1) is { } start && At(run, to) is { } end ? end.Sessions[Runner.FaultedPeer] - start.Sessions[Runner.FaultedPeer] : double.NaN;

    private static double Share(RunResult run, long from, long to)
    {
        if (At(run, from) is not { } start || At(run, to) is not { } end)
        {
            return double.NaN;
        }

        double total = end.Bytes.Sum() - start.Bytes.Sum();
        return total <= 0 ? double.NaN : (end.Bytes[Runner.FaultedPeer] - start.Bytes[Runner.FaultedPeer]) / total;
    }
}
