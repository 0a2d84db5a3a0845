using System.Numerics;

namespace ProxySql.Core;

/// <summary>
/// Chooses a peer among the eligible ones (a bit mask over declaration indexes). Pure: the caller supplies each
/// peer's snapshot, the round-robin counter and the random source. Peers with weight 0 are standbys: they are
/// chosen only when no eligible peer has a weight, and then count as weight 1. A ramping peer (slow start) counts
/// with its weight times its ramp.
/// </summary>
internal static class PeerSelector
{
    /// <summary>Latency floor in seconds: below it opens are "fast" alike, so noise does not steer the choice.</summary>
    private const double LatencyFloor = 0.001;

    public static int Select(ProxySqlStrategy strategy, ulong eligible, ReadOnlySpan<PeerSnapshot> peers, ref long roundRobin, Random random)
    {
        if (eligible == 0)
            return -1;

        var weighted = 0UL;
        for (var rest = eligible; rest != 0; rest &= rest - 1)
        {
            var i = BitOperations.TrailingZeroCount(rest);
            if (peers[i].Weight > 0)
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
                // Integer weights only: a ramping peer's turn comes at its full weight (round robin has no fractions).
                long total = 0;
                for (var rest = tier; rest != 0; rest &= rest - 1)
                    total += standby ? 1 : peers[BitOperations.TrailingZeroCount(rest)].Weight;
                var ticket = (ulong)(Interlocked.Increment(ref roundRobin) - 1);
                return WalkIntegers(tier, peers, standby, (long)(ticket % (ulong)total));
            }

            case ProxySqlStrategy.LeastConnections:
            {
                var a = WeightedRandom(tier, peers, standby, random);
                var b = WeightedRandom(tier & ~(1UL << a), peers, standby, random);
                return LoadPerWeight(peers[b], standby) < LoadPerWeight(peers[a], standby) ? b : a;
            }

            case ProxySqlStrategy.LoadAware:
            {
                var a = WeightedRandom(tier, peers, standby, random);
                var b = WeightedRandom(tier & ~(1UL << a), peers, standby, random);
                return Cost(peers[b], standby) < Cost(peers[a], standby) ? b : a;
            }

            default:
                return WeightedRandom(tier, peers, standby, random);
        }
    }

    /// <summary>Effective weight: configured weight (1 for a standby) times the slow-start ramp.</summary>
    public static double EffectiveWeight(in PeerSnapshot peer, bool standby) => (standby ? 1 : peer.Weight) * peer.Ramp;

    private static double LoadPerWeight(in PeerSnapshot peer, bool standby) => peer.Load / EffectiveWeight(peer, standby);

    /// <summary>
    /// What one lease costs on a peer: the open plus how long its leases are held, at least <see cref="LatencyFloor"/>. A
    /// peer that opens slowly shows as latency, one that runs statements slowly (its opens come from the pool as fast as
    /// anyone's) as hold time, one whose sessions in use stopped moving as a stall in place of the open latency.
    /// </summary>
    private static double LeaseTime(in PeerSnapshot peer) => Math.Max(peer.Latency + peer.HoldTime, LatencyFloor);

    /// <summary>
    /// The expected wait on a peer (Finagle's P2C + EWMA cost: latency × (outstanding + 1)): its lease time times the
    /// work ahead of the new open, per unit of weight.
    /// </summary>
    /// <remarks>
    /// Squaring the lease time (so that a node ten times slower with nothing in use loses to a fast one with nine in
    /// use) cut a slow node's share further on real ProxySQL, but starved healthy peers for seconds on a loaded machine,
    /// and so did a hard rule "over four times slower loses" (docs/benchmarks.md); neither is done.
    /// </remarks>
    private static double Cost(in PeerSnapshot peer, bool standby) =>
        LeaseTime(peer) * (peer.Load + 1) / EffectiveWeight(peer, standby);

    private static int WeightedRandom(ulong tier, ReadOnlySpan<PeerSnapshot> peers, bool standby, Random random)
    {
        var total = 0.0;
        for (var rest = tier; rest != 0; rest &= rest - 1)
            total += EffectiveWeight(peers[BitOperations.TrailingZeroCount(rest)], standby);
        var position = random.NextDouble() * total;
        var last = -1;
        for (var rest = tier; rest != 0; rest &= rest - 1)
        {
            last = BitOperations.TrailingZeroCount(rest);
            position -= EffectiveWeight(peers[last], standby);
            if (position < 0)
                return last;
        }

        return last;
    }

    private static int WalkIntegers(ulong tier, ReadOnlySpan<PeerSnapshot> peers, bool standby, long position)
    {
        var last = -1;
        for (var rest = tier; rest != 0; rest &= rest - 1)
        {
            last = BitOperations.TrailingZeroCount(rest);
            position -= standby ? 1 : peers[last].Weight;
            if (position < 0)
                return last;
        }

        return last;
    }
}
