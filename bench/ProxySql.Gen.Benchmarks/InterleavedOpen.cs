using System.Diagnostics;
using System.Globalization;

namespace ProxySql.Benchmarks;

/// <summary>
/// The open comparison of <see cref="OpenBenchmarks"/> measured in alternating rounds (plain, balanced, balanced,
/// plain, ...) instead of one benchmark after the other, so that load from other processes on a shared machine hits
/// both sides alike. Reports the median over rounds of time and bytes per open and of the per-round time ratio.
/// </summary>
internal static class InterleavedOpen
{
    private const int Rounds = 100;
    private const int OpensPerRound = 400;

    public static async Task RunAsync()
    {
        var bench = new OpenBenchmarks();
        await bench.SetupAsync().ConfigureAwait(false);
        try
        {
            var plain = new List<(double Micros, double Bytes)>();
            var balanced = new List<(double Micros, double Bytes)>();
            var ratios = new List<double>();
            for (int round = 0; round < Rounds; round++)
            {
                bool plainFirst = round % 2 == 0;
                (double Micros, double Bytes) first = await MeasureAsync(plainFirst ? bench.PlainAsync : bench.BalancedAsync).ConfigureAwait(false);
                (double Micros, double Bytes) second = await MeasureAsync(plainFirst ? bench.BalancedAsync : bench.PlainAsync).ConfigureAwait(false);
                (double Micros, double Bytes) p = plainFirst ? first : second, b = plainFirst ? second : first;
                plain.Add(p);
                balanced.Add(b);
                ratios.Add(b.Micros / p.Micros);
            }

            var culture = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(culture, $"Interleaved open+close, {Rounds} rounds of {OpensPerRound} each side, medians over rounds:"));
            Console.WriteLine();
            Console.WriteLine("| method | time per open | bytes per open |");
            Console.WriteLine("| --- | ---: | ---: |");
            Console.WriteLine(string.Create(culture, $"| plain pooled MySqlConnection | {Median(plain.Select(x => x.Micros)):0.0} us | {Median(plain.Select(x => x.Bytes)):0} B |"));
            Console.WriteLine(string.Create(culture, $"| balanced OpenConnectionAsync | {Median(balanced.Select(x => x.Micros)):0.0} us | {Median(balanced.Select(x => x.Bytes)):0} B |"));
            Console.WriteLine();
            Console.WriteLine(string.Create(culture, $"time ratio balanced / plain: median of per-round ratios {Median(ratios):0.00} (quartiles {Quantile(ratios, 0.25):0.00} - {Quantile(ratios, 0.75):0.00}); bytes ratio {Median(balanced.Select(x => x.Bytes)) / Median(plain.Select(x => x.Bytes)):0.00}"));
        }
        finally
        {
            await bench.CleanupAsync().ConfigureAwait(false);
        }
    }

    private static async Task<(double Micros, double Bytes)> MeasureAsync(Func<Task> open)
    {
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < OpensPerRound; i++)
        {
            await open().ConfigureAwait(false);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        return (elapsed.TotalMicroseconds / OpensPerRound, (double)(GC.GetTotalAllocatedBytes(precise: true) - bytes) / OpensPerRound);
    }

    private static double Median(IEnumerable<double> values) => Quantile([.. values], 0.5);

    private static double Quantile(List<double> values, double q)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }
}
