using ProxySql.Core;

namespace ProxySql.Tests;

public sealed class PeerSelectorTests
{
    private static int Select(ProxySqlStrategy strategy, ulong eligible, int[] weights, int[] inUse, ref long roundRobin, Random random, double[]? latency = null, double[]? ramp = null)
    {
        var peers = new PeerSnapshot[weights.Length];
        for (var i = 0; i < peers.Length; i++)
            peers[i] = new PeerSnapshot(weights[i], inUse[i], latency?[i] ?? 0, ramp?[i] ?? 1);
        return PeerSelector.Select(strategy, eligible, peers, ref roundRobin, random);
    }

    private static int[] LoadAwareCounts(int[] inUse, double[] latency, int picks, double[]? ramp = null)
    {
        var counts = new int[inUse.Length];
        long roundRobin = 0;
        var random = new Random(3);
        var weights = Enumerable.Repeat(1, inUse.Length).ToArray();
        for (var i = 0; i < picks; i++)
            counts[Select(ProxySqlStrategy.LoadAware, (1UL << inUse.Length) - 1, weights, inUse, ref roundRobin, random, latency, ramp)]++;
        return counts;
    }

    [Fact]
    public void Load_aware_never_picks_the_peer_with_far_more_connections_in_use_when_latencies_are_equal()
    {
        // P2C: the busiest of three is only ever chosen when paired with itself, which a pair of distinct peers excludes.
        var counts = LoadAwareCounts([0, 0, 50], [0.001, 0.001, 0.001], 3000);
        Assert.Equal(0, counts[2]);
        Assert.InRange(counts[0], 1200, 1800);
    }

    [Fact]
    public void Load_aware_avoids_a_slow_peer_with_nothing_in_use()
    {
        // The gray failure before any session piles up: same load, one peer opens 50 times slower.
        var counts = LoadAwareCounts([1, 1, 1], [0.001, 0.001, 0.05], 3000);
        Assert.Equal(0, counts[2]);
    }

    [Fact]
    public void Load_aware_spreads_evenly_over_equal_peers()
    {
        var counts = LoadAwareCounts([2, 2, 2], [0.001, 0.001, 0.001], 30_000);
        foreach (var count in counts)
            Assert.InRange(count, 9000, 11_000);
    }

    [Fact]
    public void A_ramping_peer_gets_a_share_in_proportion_to_its_ramp()
    {
        long rr = 0;
        var random = new Random(5);
        var counts = new int[2];
        for (var i = 0; i < 20_000; i++)
            counts[Select(ProxySqlStrategy.Random, 0b11, [1, 1], [0, 0], ref rr, random, ramp: [1, 0.25])]++;
        Assert.InRange(counts[1] / 20_000.0, 0.17, 0.23);
    }

    private static int[] Counts(ProxySqlStrategy strategy, ulong eligible, int[] weights, int picks, int[]? inUse = null, int seed = 1)
    {
        var counts = new int[weights.Length];
        long roundRobin = 0;
        var random = new Random(seed);
        inUse ??= new int[weights.Length];
        for (var i = 0; i < picks; i++)
            counts[Select(strategy, eligible, weights, inUse, ref roundRobin, random)]++;
        return counts;
    }

    [Fact]
    public void Nothing_eligible_selects_nothing()
    {
        long rr = 0;
        Assert.Equal(-1, Select(ProxySqlStrategy.Random, 0, [1, 1], [0, 0], ref rr, new Random(1)));
    }

    [Fact]
    public void Ordered_picks_the_first_eligible_peer_in_declaration_order()
    {
        Assert.Equal([0, 1000, 0], Counts(ProxySqlStrategy.Ordered, 0b110, [1, 1, 1], 1000));
    }

    [Fact]
    public void Round_robin_gives_each_peer_exactly_its_weight_share()
    {
        Assert.Equal([250, 500, 250], Counts(ProxySqlStrategy.RoundRobin, 0b111, [1, 2, 1], 1000));
    }

    [Fact]
    public void Random_follows_the_weights()
    {
        var counts = Counts(ProxySqlStrategy.Random, 0b111, [1, 2, 1], 40_000);
        Assert.InRange(counts[0], 9_400, 10_600);
        Assert.InRange(counts[1], 19_400, 20_600);
        Assert.InRange(counts[2], 9_400, 10_600);
    }

    [Fact]
    public void Standby_with_weight_zero_is_used_only_when_no_weighted_peer_is_eligible()
    {
        Assert.Equal([1000, 0], Counts(ProxySqlStrategy.Random, 0b11, [1, 0], 1000));
        Assert.Equal([0, 1000], Counts(ProxySqlStrategy.Random, 0b10, [1, 0], 1000));
    }

    [Fact]
    public void Ineligible_peers_are_never_picked_whatever_the_strategy()
    {
        foreach (var strategy in Enum.GetValues<ProxySqlStrategy>())
            Assert.Equal(0, Counts(strategy, 0b101, [1, 5, 1], 500)[1]);
    }

    [Fact]
    public void Least_connections_never_picks_the_busiest_of_three_equal_peers()
    {
        // Power of two choices: the busiest peer loses every comparison it is drawn into.
        var counts = Counts(ProxySqlStrategy.LeastConnections, 0b111, [1, 1, 1], 3000, inUse: [5, 50, 0]);
        Assert.Equal(0, counts[1]);
        Assert.True(counts[2] > counts[0], $"least loaded peer got {counts[2]}, middle {counts[0]}");
    }

    [Fact]
    public void Least_connections_compares_load_per_unit_of_weight()
    {
        // 10 in use on weight 4 is lighter than 5 in use on weight 1.
        var counts = Counts(ProxySqlStrategy.LeastConnections, 0b11, [4, 1], 500, inUse: [10, 5]);
        Assert.Equal([500, 0], counts);
    }
}
