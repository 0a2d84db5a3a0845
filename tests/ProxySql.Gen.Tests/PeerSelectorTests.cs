using ProxySql.Balancing;

namespace ProxySql.Tests;

public sealed class PeerSelectorTests
{
    private static int[] Counts(ProxySqlStrategy strategy, ulong eligible, int[] weights, int picks, int[]? inUse = null, int seed = 1)
    {
        var counts = new int[weights.Length];
        long roundRobin = 0;
        var random = new Random(seed);
        inUse ??= new int[weights.Length];
        for (var i = 0; i < picks; i++)
            counts[PeerSelector.Select(strategy, eligible, weights, inUse, ref roundRobin, random)]++;
        return counts;
    }

    [Fact]
    public void Nothing_eligible_selects_nothing()
    {
        long rr = 0;
        Assert.Equal(-1, PeerSelector.Select(ProxySqlStrategy.Random, 0, [1, 1], [0, 0], ref rr, new Random(1)));
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
