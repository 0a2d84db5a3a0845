using System.Numerics;

namespace ProxySql.Balancing;

/// <summary>
/// Chooses a peer among the eligible ones (a bit mask over declaration indexes). Pure: the caller supplies weights,
/// connections in use, the round-robin counter and the random source. Peers with weight 0 are standbys: they are
/// chosen only when no eligible peer has a weight, and then count as weight 1.
/// </summary>
internal static class PeerSelector
{
    public static int Select(ProxySqlStrategy strategy, ulong eligible, ReadOnlySpan<int> weights, ReadOnlySpan<int> inUse, ref long roundRobin, Random random)
    {
        if (eligible == 0)
            return -1;

        var weighted = 0UL;
        for (var rest = eligible; rest != 0; rest &= rest - 1)
        {
            var i = BitOperations.TrailingZeroCount(rest);
            if (weights[i] > 0)
                weighted |= 1UL << i;
        }

        var standby = weighted == 0;
        var tier = standby ? eligible : weighted;
        if (BitOperations.PopCount(tier) == 1)
            return BitOperations.TrailingZeroCount(tier);

        switch (strategy)
        {
            case ProxySqlStrategy.Ordered:
                return BitOperations.TrailingZeroCount(tier);
            case ProxySqlStrategy.RoundRobin:
            {
                var total = TotalWeight(tier, weights, standby);
                var ticket = (ulong)(Interlocked.Increment(ref roundRobin) - 1);
                return Walk(tier, weights, standby, (long)(ticket % (ulong)total));
            }

            case ProxySqlStrategy.LeastConnections:
            {
                var a = WeightedRandom(tier, weights, standby, random);
                var b = WeightedRandom(tier & ~(1UL << a), weights, standby, random);
                long wa = standby ? 1 : weights[a], wb = standby ? 1 : weights[b];

                // Compare load per unit of weight without dividing.
                return inUse[b] * wa < inUse[a] * wb ? b : a;
            }

            default:
                return WeightedRandom(tier, weights, standby, random);
        }
    }

    private static long TotalWeight(ulong tier, ReadOnlySpan<int> weights, bool standby)
    {
        if (standby)
            return BitOperations.PopCount(tier);
        long total = 0;
        for (var rest = tier; rest != 0; rest &= rest - 1)
            total += weights[BitOperations.TrailingZeroCount(rest)];
        return total;
    }

    private static int WeightedRandom(ulong tier, ReadOnlySpan<int> weights, bool standby, Random random) =>
        Walk(tier, weights, standby, random.NextInt64(TotalWeight(tier, weights, standby)));

    private static int Walk(ulong tier, ReadOnlySpan<int> weights, bool standby, long position)
    {
        var last = -1;
        for (var rest = tier; rest != 0; rest &= rest - 1)
        {
            last = BitOperations.TrailingZeroCount(rest);
            position -= standby ? 1 : weights[last];
            if (position < 0)
                return last;
        }

        return last;
    }
}
