namespace ProxySql.EfBench;

/// <summary>
/// Measures several sides in rounds, each round every side once in an order that rotates, so that a burst of load from
/// other processes falls on every side alike; the ratio to the first side is taken within each round.
/// </summary>
internal static class Interleaved
{
    public static async Task<SideResult[]> MeasureAsync(Side[] sides, int workers, TimeSpan roundLength, int rounds)
    {
        foreach (var side in sides)
            await side.MeasureAsync(workers, roundLength).ConfigureAwait(false); // warm-up: pools, plans, JIT
        var rates = sides.Select(_ => new List<double>()).ToArray();
        var ratios = sides.Select(_ => new List<double>()).ToArray();
        var unpipelinedRatios = sides.Select(_ => new List<double>()).ToArray();
        var unpipelined = Array.FindIndex(sides, s => s.Name.Contains("Pipelining=False", StringComparison.Ordinal));
        var cpu = sides.Select(_ => new List<double>()).ToArray();
        var allocated = sides.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            var measured = new Measurement[sides.Length];
            for (var k = 0; k < sides.Length; k++)
            {
                var s = (round + k) % sides.Length;
                measured[s] = await sides[s].MeasureAsync(workers, roundLength).ConfigureAwait(false);
            }

            for (var s = 0; s < sides.Length; s++)
            {
                rates[s].Add(measured[s].Rate);
                ratios[s].Add(measured[s].Rate / measured[0].Rate);
                if (unpipelined >= 0)
                    unpipelinedRatios[s].Add(measured[s].Rate / measured[unpipelined].Rate);
                cpu[s].Add(measured[s].CpuMicroseconds);
                allocated[s].Add(measured[s].AllocatedBytes);
            }
        }

        return [.. sides.Select((side, s) => new SideResult(side.Name, Median(rates[s]), Median(ratios[s]), unpipelined >= 0 ? Median(unpipelinedRatios[s]) : double.NaN, Median(cpu[s]), Median(allocated[s])))];
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>
/// One side's medians over the rounds: operations per second, its per-round ratio to the first side and to the side
/// with Pipelining=False (NaN without one), client CPU µs and allocated bytes per operation.
/// </summary>
internal sealed record SideResult(string Name, double MedianRate, double MedianRatio, double MedianRatioToUnpipelined, double MedianCpuMicroseconds, double MedianAllocatedBytes);
