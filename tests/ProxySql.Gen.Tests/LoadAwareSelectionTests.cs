using Microsoft.Extensions.Time.Testing;
using ProxySql.Core;

namespace ProxySql.Tests;

/// <summary>
/// Load-aware selection with lease hold times: the estimates on their own (<see cref="PeerLoad"/>, <see cref="LeaseClocks"/>),
/// and closed-loop simulations on fake time through the balancer's own choice (<see cref="Balancer.Select"/>): workers
/// take a lease on the peer it picks, hold it as long as that peer is slow, return it and pick again. No sleeping, no
/// timing: fake time moves from one lease return to the next.
/// </summary>
public sealed class LoadAwareSelectionTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const long Frequency = TimeSpan.TicksPerSecond;

    private static long At(double seconds) => (long)(seconds * Frequency) + Frequency;

    [Fact]
    public void Hold_time_learns_a_lease_fades_with_time_and_is_not_swung_by_one_slow_lease_among_many()
    {
        var load = new PeerLoad();
        load.Held(At(0), At(0.05), Frequency);
        Assert.Equal(0.05, load.HoldTime(At(0.05), Frequency), 6);

        // No lease returned for a decay time: the estimate weighs 1/e, so a peer avoided for being slow is tried again.
        Assert.Equal(0.05 / Math.E, load.HoldTime(At(1.05), Frequency), 6);

        // A lease every millisecond for 2 s, 1 ms each, then one of 50 ms: the estimate stays near 1 ms.
        var fast = new PeerLoad();
        var now = 0.0;
        for (var i = 0; i < 2000; i++, now += 0.001)
            fast.Held(At(now - 0.001), At(now), Frequency);
        fast.Held(At(now - 0.05), At(now), Frequency);
        Assert.InRange(fast.HoldTime(At(now), Frequency), 0.0009, 0.0013);
    }

    [Fact]
    public void A_peer_tried_again_after_a_silence_is_judged_on_its_new_lease()
    {
        // Held 50 ms, then nothing for a second (its estimate faded to about 18 ms), then a 1 ms lease: about 2 ms now,
        // not the faded estimate plus a bit, so a recovered peer is not kept just above the others.
        var load = new PeerLoad();
        load.Held(At(0), At(0.05), Frequency);
        load.Held(At(1.049), At(1.05), Frequency);
        Assert.InRange(load.HoldTime(At(1.05), Frequency), 0.001, 0.002);
    }

    [Fact]
    public void Reset_forgets_the_hold_time()
    {
        var load = new PeerLoad();
        load.Held(At(0), At(0.05), Frequency);
        load.Reset();
        Assert.Equal(0, load.HoldTime(At(0.05), Frequency));
    }

    [Fact]
    public void Lease_clocks_time_up_to_their_capacity_and_reuse_freed_slots()
    {
        var clocks = new LeaseClocks();
        var slots = new HashSet<int>();
        for (var i = 0; i < LeaseClocks.Capacity; i++)
            Assert.True(slots.Add(clocks.Start(At(i))));
        Assert.Equal(-1, clocks.Start(At(500)));

        Assert.Equal(At(77), clocks.Stop(77));
        Assert.Equal(77, clocks.Start(At(600)));
        Assert.Equal(At(600), clocks.Stop(77));
    }

    [Fact]
    public void Load_aware_never_picks_a_peer_whose_leases_are_held_long_over_busier_fast_ones()
    {
        // Same open latency everywhere (pooled opens are fast even on a slow node); one node holds every lease 50 ms.
        var peers = new PeerSnapshot[]
        {
            new(1, 5, 0.0002, 1, 0.001),
            new(1, 5, 0.0002, 1, 0.001),
            new(1, 1, 0.0002, 1, 0.05),
        };
        long roundRobin = 0;
        var random = new Random(11);
        var counts = new int[3];
        for (var i = 0; i < 3000; i++)
            counts[PeerSelector.Select(ProxySqlStrategy.LoadAware, 0b111, peers, ref roundRobin, random)]++;
        Assert.Equal(0, counts[2]);
        Assert.InRange(counts[0], 1200, 1800);
    }

    [Fact]
    public async Task A_peer_whose_leases_are_held_50_ms_gets_well_under_a_third_of_the_work()
    {
        await using var sim = new ClosedLoop();
        // Equal peers for 2 s, then one holds every lease 50 ms (its opens stay as fast as the others').
        sim.HoldOf = (peer, now) => peer == 2 && now >= 2 ? 0.05 : 0.001;
        sim.Run(until: 2);
        var counts = sim.Run(until: 12);

        // Plain random would give it a third; least connections about 3 % (its leases pile up 50 times longer).
        var share = counts[2] / (double)counts.Sum();
        output.WriteLine("slow: " + string.Join(" / ", counts));
        Assert.True(share < 0.01, $"slow peer's share {share:P2} ({string.Join(" / ", counts)})");

        // It is still tried now and then (its estimate fades), so a recovery would be seen.
        Assert.True(counts[2] >= 3, $"slow peer got {counts[2]} leases in 10 s: starved");
    }

    [Fact]
    public async Task A_slow_peer_that_recovers_regains_its_share_after_the_estimate_fades()
    {
        await using var sim = new ClosedLoop();
        sim.HoldOf = (peer, now) => peer == 2 && now < 5 ? 0.05 : 0.001;
        var slow = sim.Run(until: 5);
        Assert.True(slow[2] / (double)slow.Sum() < 0.02, $"while slow: {string.Join(" / ", slow)}");

        var first = sim.Run(until: 6);
        var recovered = sim.Run(until: 8);
        output.WriteLine("first second after recovery: " + string.Join(" / ", first));
        output.WriteLine("slow then recovered: " + string.Join(" / ", slow) + " then " + string.Join(" / ", recovered));
        var share = recovered[2] / (double)recovered.Sum();
        Assert.InRange(share, 0.26, 0.41);
    }

    [Fact]
    public async Task Equal_peers_share_the_work_evenly()
    {
        await using var sim = new ClosedLoop();
        sim.HoldOf = (_, _) => 0.002;
        sim.Run(until: 1);
        var counts = sim.Run(until: 6);
        output.WriteLine("equal: " + string.Join(" / ", counts));
        foreach (var count in counts)
            Assert.InRange(count / (double)counts.Sum(), 0.29, 0.38);
    }

    [Fact]
    public async Task Occasional_slow_leases_on_every_peer_starve_none()
    {
        // A loaded machine: 3 ms leases, one in 50 stalled 40 ms on whichever peer it is. No peer falls out of use.
        await using var sim = new ClosedLoop();
        var spikes = new Random(29);
        sim.HoldOf = (_, _) => spikes.Next(50) == 0 ? 0.04 : 0.003;
        sim.Run(until: 1);
        var least = 1.0;
        for (var second = 2; second <= 20; second++)
        {
            var counts = sim.Run(until: second);
            least = Math.Min(least, counts.Min() / (double)counts.Sum());
        }

        output.WriteLine($"least share in any second: {least:P1}");
        Assert.True(least > 0.15, $"a peer fell to {least:P1} of a second's leases");
    }

    [Fact]
    public async Task Weights_still_apply_with_hold_times()
    {
        await using var sim = new ClosedLoop(weights: [1, 1, 2]);
        sim.HoldOf = (_, _) => 0.002;
        sim.Run(until: 1);
        var counts = sim.Run(until: 6);
        output.WriteLine("weights: " + string.Join(" / ", counts));
        var share = counts[2] / (double)counts.Sum();
        Assert.InRange(share, 0.40, 0.60);
        Assert.InRange(counts[0] / (double)counts[1], 0.8, 1.25);
    }

    [Fact]
    public async Task A_slow_peer_with_twice_the_weight_is_still_avoided()
    {
        await using var sim = new ClosedLoop(weights: [1, 1, 2]);
        sim.HoldOf = (peer, _) => peer == 2 ? 0.05 : 0.001;
        sim.Run(until: 2);
        var counts = sim.Run(until: 7);
        output.WriteLine("slow weight 2: " + string.Join(" / ", counts));
        Assert.True(counts[2] / (double)counts.Sum() < 0.02, string.Join(" / ", counts));
    }

    [Fact]
    public async Task A_lease_through_the_peer_is_timed_from_hand_out_to_return()
    {
        await using var sim = new ClosedLoop(workers: 0);
        var peer = sim.Balancer.Peers[1];
        var clock = peer.LeaseStarted();
        Assert.Equal(1, peer.ConnectionsInUse);
        sim.Time.Advance(TimeSpan.FromMilliseconds(50));
        peer.LeaseEnded(clock);
        Assert.Equal(0, peer.ConnectionsInUse);
        Assert.Equal(0.05, peer.Load.HoldTime(sim.Time.GetTimestamp(), sim.Time.TimestampFrequency), 6);
    }

    /// <summary>
    /// Workers in a loop (take a lease on the balancer's choice, hold it, return it) on fake time. A lease's hold time
    /// is the peer's <see cref="HoldOf"/> at hand-out, jittered ±50 % from a seeded source so workers do not move in lockstep.
    /// </summary>
    private sealed class ClosedLoop : IAsyncDisposable
    {
        private readonly PriorityQueue<(ProxySqlPeer Peer, int Clock), long> _leases = new();
        private readonly Random _jitter = new(17);
        private readonly long _start;

        public ClosedLoop(int workers = 16, int[]? weights = null)
        {
            weights ??= [1, 1, 1];
            var values = TestBalancers.Config("LoadAware", ("Edge1", "a", weights[0]), ("Edge2", "b", weights[1]), ("proxysql-c", "c", weights[2]));
            values["ProxySql:SlowStartWindow"] = "0";
            Balancer = TestBalancers.Create(new ScriptedConnector(), Time, values, seed: 23);
            _start = Time.GetTimestamp();
            for (var i = 0; i < workers; i++)
                TakeLease();
        }

        public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        public Balancer Balancer { get; }

        /// <summary>How long a lease on peer i handed out at t seconds is held, in seconds.</summary>
        public Func<int, double, double> HoldOf { get; set; } = (_, _) => 0.001;

        /// <summary>Runs until <paramref name="until"/> seconds of fake time; the leases handed out per peer meanwhile.</summary>
        public int[] Run(double until)
        {
            var counts = new int[Balancer.Peers.Count];
            var end = _start + (long)(until * Time.TimestampFrequency);
            while (_leases.TryPeek(out _, out var returnAt) && returnAt <= end)
            {
                var (peer, clock) = _leases.Dequeue();
                var now = Time.GetTimestamp();
                if (returnAt > now)
                    Time.Advance(TimeSpan.FromTicks((returnAt - now) * TimeSpan.TicksPerSecond / Time.TimestampFrequency));
                peer.LeaseEnded(clock);
                counts[TakeLease()]++;
            }

            return counts;
        }

        public ValueTask DisposeAsync() => Balancer.DisposeAsync();

        private int TakeLease()
        {
            var peer = Balancer.Select(0) ?? throw new InvalidOperationException("no peer selected");
            var clock = peer.LeaseStarted();
            var now = Time.GetTimestamp();
            var hold = HoldOf(peer.Index, (now - _start) / (double)Time.TimestampFrequency) * (0.5 + _jitter.NextDouble());
            _leases.Enqueue((peer, clock), now + (long)(hold * Time.TimestampFrequency));
            return peer.Index;
        }
    }
}
