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

        for (var i = 0; i < 10; i++)
            Assert.Equal("b", await OpenServerAsync());
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(1, _connector.Opens("a"));

        // Past CheckInterval plus the largest jitter (10%), the next open starts one background probe and is not held up by it.
        _connector.Succeeds("a");
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("b", await OpenServerAsync());
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 recovers after its probe");
        Assert.Equal(2, _connector.Opens("a"));
        Assert.Equal("a", await OpenServerAsync());
    }

    [Fact]
    public async Task Recovery_probe_is_single_flight_while_callers_keep_using_healthy_peers()
    {
        _connector.Throws("a", Refused);
        await OpenServerAsync();
        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => probe.Task);
        _time.Advance(TimeSpan.FromSeconds(34));

        var servers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => OpenServerAsync()));
        Assert.All(servers, s => Assert.Equal("b", s));
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 2, "one recovery probe on Edge1");
        Assert.Equal(2, _connector.Opens("a"));

        probe.SetException(Refused());
        await TestBalancers.UntilAsync(() => Edge1.Health.RetryAt > _time.GetUtcNow(), "a failed probe schedules the next retry");
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
    }

    [Fact]
    public async Task Slow_peer_is_hedged_after_the_hedge_delay_and_the_loser_is_not_held_against_it()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => slow.Task);
        var open = OpenServerAsync();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "attempt on Edge1 started");
        Assert.False(open.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(0, _connector.Opens("b"));
        _time.Advance(TimeSpan.FromMilliseconds(1));
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
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => slow.Task);
        var open = OpenServerAsync();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "attempt on Edge1 started");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("b", await open);

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
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal("b", await open);
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);

        _time.Advance(TimeSpan.FromMilliseconds(1900));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after the 2 s connect timeout");
        Assert.StartsWith("timeout:", Edge1.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_peer_silent_costs_one_connect_timeout_not_one_per_peer()
    {
        _connector.Hangs("a");
        _connector.Hangs("b");
        _connector.Hangs("c");
        var open = _balancer.OpenConnectionAsync().AsTask();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "first attempt");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => _connector.Opens("b") == 1, "hedge on Edge2");
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await TestBalancers.UntilAsync(() => _connector.Opens("c") == 1, "hedge on Edge3");

        // 2 s after the first attempt started, every attempt has timed out or is about to.
        _time.Advance(TimeSpan.FromMilliseconds(1800));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        var error = await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => open.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("Edge3 [Down", error.Message, StringComparison.Ordinal);
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
        Assert.Contains("Edge2 [Down, b:6033]: end_of_stream: handshake cut", error.Message, StringComparison.Ordinal);
        Assert.Contains("Edge3 [Down, c:6033]: refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", error.ToString(), StringComparison.Ordinal);
        Assert.Equal([1, 1, 1], new[] { _connector.Opens("a"), _connector.Opens("b"), _connector.Opens("c") });
    }

    [Fact]
    public async Task Callers_arriving_when_all_are_down_share_one_probe_of_the_peer_down_longest()
    {
        _connector.Throws("a", Refused);
        _connector.Throws("b", Refused);
        _connector.Throws("c", Refused);
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());

        var probe = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => probe.Task);
        var callers = Enumerable.Range(0, 16).Select(_ => _balancer.OpenConnectionAsync().AsTask()).ToArray();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 2, "one shared probe of Edge1");
        Assert.All(callers, c => Assert.False(c.IsCompleted));

        probe.SetException(Refused());
        foreach (var caller in callers)
            await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => caller.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([2, 1, 1], new[] { _connector.Opens("a"), _connector.Opens("b"), _connector.Opens("c") });
    }

    [Fact]
    public async Task Failed_shared_probe_answers_callers_for_one_second_then_a_new_probe_runs()
    {
        _connector.Throws("a", Refused);
        _connector.Throws("b", Refused);
        _connector.Throws("c", Refused);
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        Assert.Equal(2, _connector.Opens("a"));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(() => OpenServerAsync());
        Assert.Equal(2, _connector.Opens("a"));

        _connector.Succeeds("a");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("a", await OpenServerAsync());

        // The probe, then the caller's own open (which reuses the probe's pooled session in real life).
        Assert.Equal(4, _connector.Opens("a"));
    }

    [Fact]
    public async Task Shared_probe_that_succeeds_lets_every_waiting_caller_through()
    {
        _connector.Throws("a", Refused);
        _connector.Throws("b", Refused);
        _connector.Throws("c", Refused);
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
}
