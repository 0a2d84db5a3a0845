using ProxySql.Core;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;

namespace ProxySql.Tests;

/// <summary>The engine's failover, hedging, recovery and all-down behaviour over a scripted connector on fake time.</summary>
public sealed class BalancerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedConnector _connector = new();
    private Balancer _balancer = null!;

    private ProxySqlPeer Edge1 => _balancer.Peers[0];

    private ProxySqlPeer Edge2 => _balancer.Peers[1];

    public Task InitializeAsync()
    {
        _balancer = TestBalancers.Create(_connector, _time, TestBalancers.Config("Ordered"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _balancer.DisposeAsync();

    private static Exception Refused() => new InvalidOperationException("Unable to connect", new SocketException((int)SocketError.ConnectionRefused));

    /// <summary>Edge1's attempt hangs on the returned source until the test ends it; the hedge after 100 ms opens on Edge2.</summary>
    private async Task<TaskCompletionSource> HedgeWonByEdge2Async() => (await TestBalancers.HedgeWonByEdge2Async(_balancer, _connector, _time)).Slow;

    /// <summary>Every peer refuses connects.</summary>
    private void AllRefuse()
    {
        foreach (var server in new[] { "a", "b", "c" })
            _connector.Throws(server, Refused);
    }

    /// <summary>The opens each peer (a, b, c) was asked for.</summary>
    private int[] Opens() => [_connector.Opens("a"), _connector.Opens("b"), _connector.Opens("c")];

    /// <summary>The probes each peer (a, b, c) got.</summary>
    private int[] Probes() => [_connector.Probes("a"), _connector.Probes("b"), _connector.Probes("c")];

    private static string ServerOf(MySqlConnection connection) => new MySqlConnectionStringBuilder(connection.ConnectionString).Server;

    private async Task<string> OpenServerAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _balancer.OpenConnectionAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        return ServerOf(connection);
    }

    [Fact]
    public async Task Open_hands_out_a_connection_on_the_first_healthy_peer_and_counts_it_in_use()
    {
        Assert.Equal("a", await OpenServerAsync());
        Assert.Equal(1, Edge1.ConnectionsInUse);
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
    }

    [Fact]
    public async Task Refused_peer_is_skipped_until_check_interval_passes()
    {
        _connector.Throws("a", Refused);
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.StartsWith("refused:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal(1, _balancer.Peers[0].Pool.Retirements);

        Assert.Equal(ProxySqlPeerStateReason.Refused, Edge1.StateReason);

        // Only the first round probed it so far; a failed open never marks a peer Up, and no probe runs before its retry time.
        for (var i = 0; i < 10; i++)
            Assert.Equal("b", await OpenServerAsync());
        _time.AdvanceSteadily(TimeSpan.FromSeconds(29));
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(1, _connector.Opens("a"));
        Assert.Equal(1, _connector.Probes("a"));

        // Past CheckInterval plus the largest jitter (10%), the next open starts one background probe and is not held up by it.
        _connector.Succeeds("a");
        _time.AdvanceSteadily(TimeSpan.FromSeconds(4));
        Assert.Equal("b", await OpenServerAsync());
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 recovers after its probe");
        Assert.Equal(2, _connector.Probes("a"));
        Assert.Equal(2, _connector.Statements("a"));
        Assert.Equal(1, _connector.Opens("a"));
        Assert.Equal("a", await OpenServerAsync());
    }

    [Fact]
    public async Task Recovery_probe_is_single_flight_while_callers_keep_using_healthy_peers()
    {
        _connector.Throws("a", Refused);
        await OpenServerAsync();
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.OnProbe("a", _ => probe.Task);
        _connector.PingAnswers("a", false);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(34));

        var servers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => OpenServerAsync()));
        Assert.All(servers, s => Assert.Equal("b", s));
        await TestBalancers.UntilAsync(() => _connector.Probes("a") == 2, "one recovery probe on Edge1 after the first round");
        await Task.Delay(20);
        Assert.Equal(2, _connector.Probes("a"));

        // Refused and its kept session silent: a crash, so still Down, with the next retry a check interval away.
        probe.SetException(Refused());
        await TestBalancers.UntilAsync(() => Edge1.Health.RetryAt > _time.GetUtcNow(), "a failed probe schedules the next retry");
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Refused, Edge1.StateReason);
    }

    [Fact]
    public async Task Slow_peer_is_hedged_after_the_hedge_delay_and_the_loser_is_not_held_against_it()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => slow.Task);
        var open = OpenServerAsync();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "attempt on Edge1 started");
        Assert.False(open.IsCompleted);

        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, _connector.Opens("b"));
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1));
        Assert.Equal("b", await open);

        // The slow attempt opens later: its connection is closed, and Edge1 stays Up with no error.
        slow.SetResult();
        await Task.Yield();
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Null(Edge1.LastError);
        Assert.Equal(0, Edge1.ConnectionsInUse);
        Assert.Equal(1, Edge2.ConnectionsInUse);
    }

    [Fact]
    public async Task Hedge_loser_that_really_fails_is_held_against_its_peer()
    {
        var slow = await HedgeWonByEdge2Async();

        slow.SetException(Refused());
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after its attempt failed");
        Assert.StartsWith("refused:", Edge1.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_peer_is_marked_down_when_its_attempt_reaches_the_connect_timeout()
    {
        _connector.Hangs("a");
        var open = OpenServerAsync();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "attempt on Edge1 started");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        Assert.Equal("b", await open);
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);

        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1900));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after the 2 s connect timeout");
        Assert.StartsWith("timeout:", Edge1.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_peer_silent_costs_one_connect_timeout_not_one_per_peer_when_hedging_allows_all()
    {
        await using var balancer = HedgingOverEveryPeer();
        _connector.Hangs("a");
        _connector.Hangs("b");
        _connector.Hangs("c");
        var error = await EveryAttemptTimesOutAsync(balancer);
        Assert.Contains("Edge3 [Down", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An Ordered balancer whose opens may hedge onto all three peers at once.</summary>
    private Balancer HedgingOverEveryPeer()
    {
        var values = TestBalancers.Config("Ordered");
        values["ProxySql:MaxHedgedAttempts"] = "2";
        return TestBalancers.Create(_connector, _time, values);
    }

    /// <summary>One open whose attempts on a, b and c (hedged 100 ms apart) all reach the 2 s connect timeout.</summary>
    private async Task<ProxySqlUnavailableException> EveryAttemptTimesOutAsync(Balancer balancer)
    {
        var open = balancer.OpenConnectionAsync().AsTask();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "first attempt");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => _connector.Opens("b") == 1, "hedge on Edge2");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => _connector.Opens("c") == 1, "hedge on Edge3");

        // 2 s after the first attempt started, every attempt has timed out or is about to.
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1800));
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(200));
        return await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => open.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Timed_out_open_that_completes_later_brings_its_peer_back_when_no_peer_serves()
    {
        // Every open outlives the connect timeout and then completes: a healthy cluster seen from a starved process.
        await using var balancer = HedgingOverEveryPeer();
        var late = new[] { "a", "b", "c" }.ToDictionary(s => s, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        foreach (var (server, open) in late)
            _connector.On(server, _ => open.Task);
        await EveryAttemptTimesOutAsync(balancer);
        Assert.All(balancer.Peers, p => Assert.Equal(ProxySqlPeerStateReason.Timeout, p.StateReason));

        late["b"].SetResult();
        await TestBalancers.UntilAsync(() => balancer.Peers[1].State == ProxySqlPeerState.Up, "Edge2 Up after its late open completed");

        Assert.Equal(ProxySqlPeerState.Down, balancer.Peers[0].State);
        Assert.Equal(ProxySqlPeerState.Down, balancer.Peers[2].State);
        _connector.Succeeds("b");
        await using var served = await balancer.OpenConnectionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("b", ServerOf(served));

        // Later completions change nothing now that a peer serves.
        late["a"].SetResult();
        late["c"].SetResult();
        await TestBalancers.UntilAsync(() => balancer.BackgroundWork == 0, "the other late opens settled");
        Assert.Equal(ProxySqlPeerState.Down, balancer.Peers[0].State);
        Assert.Equal(ProxySqlPeerState.Down, balancer.Peers[2].State);
    }

    [Fact]
    public async Task Timed_out_open_that_completes_later_leaves_its_peer_down_while_another_serves()
    {
        var slow = await HedgeWonByEdge2Async();
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1900));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after the 2 s connect timeout");

        slow.SetResult();
        await TestBalancers.UntilAsync(() => _balancer.BackgroundWork == 0, "the late open settled");

        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Timeout, Edge1.StateReason);
    }

    [Fact]
    public async Task Callers_cancellation_is_never_held_against_a_peer()
    {
        _connector.Hangs("a");
        _connector.Hangs("b");
        _connector.Hangs("c");
        using var cancel = new CancellationTokenSource();
        var open = _balancer.OpenConnectionAsync(cancel.Token).AsTask();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "first attempt");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => open.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.All(_balancer.Peers, p => Assert.Equal(ProxySqlPeerState.Up, p.State));
        Assert.All(_balancer.Peers, p => Assert.Null(p.LastError));
    }

    [Fact]
    public async Task All_peers_down_gives_one_exception_listing_each_peer_without_secrets()
    {
        _connector.Throws("a", Refused);
        _connector.Throws("b", () => new EndOfStreamException("handshake cut"));
        _connector.Throws("c", Refused);
        var error = await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        Assert.IsAssignableFrom<System.Data.Common.DbException>(error);
        Assert.Contains("Edge1 [Down, a:6033]: refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("Edge2 [Down, b:6033]: connection-lost: handshake cut", error.Message, StringComparison.Ordinal);
        Assert.Contains("Edge3 [Down, c:6033]: refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.ToString(), StringComparison.Ordinal);
        Assert.Equal([1, 1, 1], Opens());
    }

    [Fact]
    public async Task Callers_arriving_when_all_are_down_share_one_probe_of_the_peer_down_longest()
    {
        AllRefuse();
        _connector.PingAnswers("a", false);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());

        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.OnProbe("a", _ => probe.Task);
        var callers = Enumerable.Range(0, 16).Select(_ => _balancer.OpenConnectionAsync().AsTask()).ToArray();
        await TestBalancers.UntilAsync(() => _connector.Probes("a") == 2, "one shared probe of Edge1 after the first round");
        Assert.All(callers, c => Assert.False(c.IsCompleted));

        probe.SetException(Refused());
        foreach (var caller in callers)
            await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => caller.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([2, 1, 1], Probes());
        Assert.Equal([1, 1, 1], Opens());
    }

    [Fact]
    public async Task Failed_shared_probe_answers_callers_for_one_second_then_a_new_probe_runs()
    {
        AllRefuse();
        _connector.PingAnswers("a", false);

        // The first open fails over all three; the second finds all down and probes Edge1 (after the first round's probe).
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        Assert.Equal(1, _connector.Opens("a"));
        Assert.Equal(2, _connector.Probes("a"));

        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(999));
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        Assert.Equal(2, _connector.Probes("a"));

        _connector.Succeeds("a");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await OpenServerAsync());

        // A new probe, which brings Edge1 Up, then the caller's own open.
        Assert.Equal(3, _connector.Probes("a"));
        Assert.Equal(2, _connector.Opens("a"));
    }

    [Fact]
    public async Task Shared_probe_that_succeeds_lets_every_waiting_caller_through()
    {
        AllRefuse();
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());

        _connector.Succeeds("a");
        var servers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OpenServerAsync()));
        Assert.All(servers, s => Assert.Equal("a", s));
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
    }

    [Fact]
    public async Task Disabled_peer_takes_no_opens_and_reports_disabled()
    {
        var values = TestBalancers.Config("Ordered");
        values["ProxySql:Peers:Edge1:Enabled"] = "false";
        await using var balancer = TestBalancers.Create(_connector, _time, values);
        var connection = await balancer.OpenConnectionAsync();
        Assert.Equal("b", ServerOf(connection));
        Assert.Equal(ProxySqlPeerState.Disabled, balancer.Peers[0].State);
        Assert.Equal(0, _connector.Opens("a"));
    }

    [Fact]
    public async Task Pinned_open_goes_to_that_peer_even_when_others_come_first()
    {
        var connection = await _balancer.Peers[2].OpenConnectionAsync();
        Assert.Equal("c", ServerOf(connection));
        Assert.Equal(1, _balancer.Peers[2].ConnectionsInUse);
    }

    [Fact]
    public async Task Data_source_opens_through_the_balancer()
    {
        _connector.Throws("a", Refused);
        await using var connection = await _balancer.DataSource.OpenConnectionAsync();
        Assert.Equal("b", ServerOf((MySqlConnection)connection));
        Assert.DoesNotContain("s3cret-pw", _balancer.DataSource.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Weighted_random_balancer_spreads_opens_by_weight()
    {
        await using var balancer = TestBalancers.Create(_connector, _time, TestBalancers.Config("Random", ("Edge1", "a", 1), ("Edge2", "b", 2), ("proxysql-c", "c", 1)));
        for (var i = 0; i < 4000; i++)
            await balancer.OpenConnectionAsync();
        Assert.InRange(_connector.Opens("a"), 850, 1150);
        Assert.InRange(_connector.Opens("b"), 1800, 2200);
        Assert.InRange(_connector.Opens("c"), 850, 1150);
    }

    [Fact]
    public async Task Hedging_keeps_at_most_one_extra_attempt_in_flight_and_a_failure_starts_the_next_peer_at_once()
    {
        _connector.Hangs("a");
        _connector.Hangs("b");
        _connector.Hangs("c");
        var open = _balancer.OpenConnectionAsync().AsTask();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "first attempt");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => _connector.Opens("b") == 1, "one hedge on Edge2");

        // Many more hedge delays pass: with 1 + MaxHedgedAttempts (1) in flight, Edge3 is not tried.
        for (var i = 0; i < 18; i++)
        {
            _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
            await Task.Delay(2);
            Assert.Equal(0, _connector.Opens("c"));
            Assert.Equal(2, _balancer.Peers.Sum(p => p.Load.Pending));
        }

        // Edge1 reaches its connect timeout at 2 s: that failure starts Edge3 at once, still two in flight.
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => _connector.Opens("c") == 1, "Edge3 started when Edge1 timed out");
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Timeout, Edge1.StateReason);
        Assert.Equal(2, _balancer.Peers.Sum(p => p.Load.Pending));

        // Edge2 times out at 2.1 s, Edge3 at 4 s; each deadline is noticed when it passes (a jump past both would
        // look like a starved process, which gives them more time).
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => Edge2.State == ProxySqlPeerState.Down, "Edge2 timed out at 2.1 s");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1900));
        var error = await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => open.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Edge3 [Down", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 1, 1], Opens());
    }

    [Fact]
    public async Task Peer_with_a_stuck_attempt_gets_no_new_opens_until_that_attempt_resolves()
    {
        var slow = await HedgeWonByEdge2Async();
        Assert.Equal(1, Edge1.Load.Stuck);

        // Ordered would pick Edge1 first; it stays Up but takes nothing while its attempt hangs.
        for (var i = 0; i < 5; i++)
            Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(1, _connector.Opens("a"));
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);

        _connector.Succeeds("a");
        slow.SetResult();
        await TestBalancers.UntilAsync(() => Edge1.Load.Stuck == 0, "Edge1's attempt resolved");
        Assert.Equal("a", await OpenServerAsync());
        Assert.Equal(2, _connector.Opens("a"));
        Assert.Equal(1, Edge1.ConnectionsInUse);
    }

    [Fact]
    public async Task Attempt_timed_out_in_a_race_that_fails_later_is_counted_and_marked_down_once()
    {
        await using var late = LateFailure.Start(_time, "LateRace");
        var open = late.Balancer.OpenConnectionAsync().AsTask();
        await late.StartedAsync("attempt");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await open.WaitAsync(TimeSpan.FromSeconds(10));

        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1900));
        await TestBalancers.UntilAsync(() => late.Peer.State == ProxySqlPeerState.Down && late.Peer.Load.Stuck == 0, "LateRaceA Down at its deadline");
        await late.AssertLateFailureChangesNothingAsync();
    }

    [Fact]
    public async Task Pinned_open_timed_out_that_fails_later_is_counted_and_marked_down_once()
    {
        await using var late = LateFailure.Start(_time, "LatePin");
        var open = late.Peer.OpenConnectionAsync().AsTask();
        await late.StartedAsync("pinned attempt");
        _time.AdvanceSteadily(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => open.WaitAsync(TimeSpan.FromSeconds(10)));
        await late.AssertLateFailureChangesNothingAsync();
    }

    [Fact]
    public async Task Recovered_peer_ramps_up_over_the_slow_start_window_then_gets_its_full_share()
    {
        var connector = new ScriptedConnector();
        await using var balancer = TestBalancers.Create(connector, _time, TestBalancers.Config("Random"));
        var edge1 = balancer.Peers[0];
        connector.Throws("a", Refused);
        await Assert.ThrowsAnyAsync<Exception>(async () => await edge1.OpenConnectionAsync());
        Assert.Equal(ProxySqlPeerState.Down, edge1.State);

        // Its retry time comes; the next open starts the recovery probe, which brings it Up.
        connector.Succeeds("a");
        _time.AdvanceSteadily(TimeSpan.FromSeconds(34));
        await balancer.OpenConnectionAsync();
        await TestBalancers.UntilAsync(() => edge1.State == ProxySqlPeerState.Up, "Edge1 recovered");
        Assert.Equal(_time.GetUtcNow(), edge1.Health.RecoveredAt);

        // 1 s into the 10 s window it counts with a tenth of its weight: about 0.1 / 2.1 of the opens.
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        var ramping = await CountServersAsync(balancer, 3000);
        Assert.InRange(ramping["a"], 1, 300);
        Assert.True(ramping["a"] * 4 < ramping["b"] && ramping["a"] * 4 < ramping["c"], $"a {ramping["a"]}, b {ramping["b"]}, c {ramping["c"]}");

        // Past the window: an equal share.
        _time.AdvanceSteadily(TimeSpan.FromSeconds(9));
        var ramped = await CountServersAsync(balancer, 3000);
        Assert.All(new[] { "a", "b", "c" }, server => Assert.InRange(ramped[server], 850, 1150));
    }

    private static async Task<Dictionary<string, int>> CountServersAsync(Balancer balancer, int opens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
        for (var i = 0; i < opens; i++)
        {
            await using var connection = await balancer.OpenConnectionAsync();
            counts[ServerOf(connection)]++;
        }

        return counts;
    }

    /// <summary>
    /// An Ordered balancer of its own over peers <c>{name}A</c> and <c>{name}B</c> (so its measurements carry those names),
    /// whose attempts on A hang on <see cref="Slow"/> until the test fails them.
    /// </summary>
    private sealed class LateFailure : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time;
        private readonly MeasurementRecorder _measured;
        private readonly string _name;

        private LateFailure(FakeTimeProvider time, string name)
        {
            _time = time;
            _name = name + "A";
            _measured = new MeasurementRecorder(name);
            Balancer = TestBalancers.Create(Connector, time, TestBalancers.Config("Ordered", (name + "A", "late-a", 1), (name + "B", "late-b", 1)), peers: [new(name + "A", name + "A"), new(name + "B", name + "B")]);
            Connector.On("late-a", _ => Slow.Task);
        }

        public ScriptedConnector Connector { get; } = new();

        public Balancer Balancer { get; }

        public ProxySqlPeer Peer => Balancer.Peers[0];

        public TaskCompletionSource Slow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static LateFailure Start(FakeTimeProvider time, string name) => new(time, name);

        public Task StartedAsync(string what) => TestBalancers.UntilAsync(() => Connector.Opens("late-a") == 1, $"{what} on {_name} started");

        /// <summary>The peer is Down for the timeout; its attempt now fails for real, which must neither count nor mark it down again.</summary>
        public async Task AssertLateFailureChangesNothingAsync()
        {
            var peer = Peer;
            Assert.Equal(ProxySqlPeerState.Down, peer.State);
            Assert.Equal(ProxySqlPeerStateReason.Timeout, peer.StateReason);
            var lastError = peer.LastError;
            var lastErrorAt = peer.LastErrorAt;
            var retryAt = peer.Health.RetryAt;
            var retirements = peer.Pool.Retirements;
            Assert.StartsWith("timeout:", lastError, StringComparison.Ordinal);

            // Later, so a second mark-down would move the error time and push the retry time.
            _time.AdvanceSteadily(TimeSpan.FromSeconds(5));
            Slow.SetException(Refused());
            await Slow.Task.ContinueWith(_ => { }, TaskScheduler.Default);
            await TestBalancers.UntilAsync(() => Balancer.BackgroundWork == 0, "the late attempt's background settlement finished");

            Assert.Equal(lastError, peer.LastError);
            Assert.Equal(lastErrorAt, peer.LastErrorAt);
            Assert.Equal(retryAt, peer.Health.RetryAt);
            Assert.Equal(ProxySqlPeerStateReason.Timeout, peer.StateReason);
            Assert.Equal(retirements, peer.Pool.Retirements);
            Assert.Equal(1, _measured.Count($"proxysql.opens {_name} timeout 1"));
            Assert.Equal(1, _measured.Count($"proxysql.peer.mark_downs {_name} timeout 1"));
            Assert.DoesNotContain(_measured.Seen, s => s.Contains(" refused ", StringComparison.Ordinal));
        }

        public async ValueTask DisposeAsync()
        {
            await Balancer.DisposeAsync();
            _measured.Dispose();
        }
    }
}
