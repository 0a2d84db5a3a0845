using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ProxySql.Core;

namespace ProxySql.Tests;

/// <summary>
/// A connect deadline that passed while this process stood still (its timers ran behind: frozen, a long GC pause, CPU
/// or thread-pool starvation) is not blamed on the peer: the open gets one more connect timeout, once.
/// </summary>
public sealed class StalledDeadlineTests : IAsyncLifetime
{
    private readonly LateTimers _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedConnector _connector = new();
    private readonly FakeLoggerProvider _logs = new();
    private ILoggerFactory _loggers = null!;
    private Balancer _balancer = null!;

    private ProxySqlPeer Edge1 => _balancer.Peers[0];

    public Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));

        // One attempt in flight at a time: the first peer's deadline alone decides when the next is tried.
        var values = TestBalancers.Config("Ordered");
        values["ProxySql:MaxHedgedAttempts"] = "0";
        _balancer = TestBalancers.Create(_connector, _time, values, _loggers);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _balancer.DisposeAsync();
        _loggers.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task An_open_whose_deadline_passed_while_the_process_stood_still_gets_more_time_and_its_peer_stays_Up()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => slow.Task);
        var open = await StarveAcrossTheDeadlineAsync();

        // 2.5 s without a timer callback, the 2 s deadline among them: more time, no mark-down, no other peer tried.
        await TestBalancers.UntilAsync(() => Logged("this process stood still for"), "the stall logged");
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Equal(0, _connector.Opens("b"));

        // The open was only held up by this process: it completes, and the caller gets it.
        slow.SetResult();
        await using var connection = await open.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Edge1, _balancer.PeerOf(connection));
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Equal([1, 0, 0], Opens());
    }

    [Fact]
    public async Task A_peer_that_never_answers_still_times_out_one_connect_timeout_later()
    {
        _connector.Hangs("a");
        _connector.Succeeds("b");
        var open = await StarveAcrossTheDeadlineAsync();
        await TestBalancers.UntilAsync(() => Logged("this process stood still for"), "the stall logged");

        // Given until 4.5 s (2.5 s + the 2 s connect timeout) while the process runs: Edge1 is Down, Edge2 serves.
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1900));
        await Task.Delay(20);
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Equal(0, _connector.Opens("b"));
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await using var connection = await open.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(_balancer.Peers[1], _balancer.PeerOf(connection));
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Timeout, Edge1.StateReason);
        Assert.Single(_logs.Collector.GetSnapshot(), r => r.Message.Contains("this process stood still for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_driver_timeout_after_the_extra_time_marks_the_peer_Down()
    {
        // The driver's own connect timeout ends the open after the balancer gave it more time: that stall is used up.
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connector.On("a", _ => slow.Task);
        _connector.Succeeds("b");
        var open = await StarveAcrossTheDeadlineAsync();
        await TestBalancers.UntilAsync(() => Logged("it gets 2000 ms more"), "the extension logged");
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);

        slow.SetException(new TimeoutException("Connect Timeout expired."));
        await using var connection = await open.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(_balancer.Peers[1], _balancer.PeerOf(connection));
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Timeout, Edge1.StateReason);
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_process_runs_times_out_as_before()
    {
        _connector.Hangs("a");
        _connector.Succeeds("b");
        var open = _balancer.OpenConnectionAsync().AsTask();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "attempt on Edge1 started");
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        await Task.Delay(20);
        _time.AdvanceSteadily(TimeSpan.FromMilliseconds(1900));
        await using var connection = await open.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(_balancer.Peers[1], _balancer.PeerOf(connection));
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Message.Contains("this process stood still for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hedged_attempt_left_behind_whose_deadline_passed_while_the_process_stood_still_does_not_mark_its_peer_Down()
    {
        // With hedging (the default one extra attempt): Edge2 serves the caller, Edge1's attempt is left to settle alone.
        await using var hedging = TestBalancers.Create(_connector, _time, TestBalancers.Config("Ordered"), _loggers);
        _connector.Succeeds("b");
        var (slow, connection) = await TestBalancers.HedgeWonByEdge2Async(hedging, _connector, _time);
        await connection.DisposeAsync();

        _time.HoldCallbacks();
        _time.Advance(TimeSpan.FromMilliseconds(2400));
        _time.RunHeldCallbacks();
        await TestBalancers.UntilAsync(() => Logged("this process stood still for"), "the stall logged");
        slow.SetResult();
        await TestBalancers.UntilAsync(() => hedging.BackgroundWork == 0, "the attempt left behind settled");
        Assert.Equal(ProxySqlPeerState.Up, hedging.Peers[0].State);
    }

    /// <summary>
    /// Starts an open on Edge1, then lets 2.5 s pass with no timer callback running, as in a starved process, and
    /// runs them all late: the open's 2 s deadline passed while nothing ran.
    /// </summary>
    private async Task<Task<MySqlConnector.MySqlConnection>> StarveAcrossTheDeadlineAsync()
    {
        var open = _balancer.OpenConnectionAsync().AsTask();
        await TestBalancers.UntilAsync(() => _connector.Opens("a") == 1, "attempt on Edge1 started");
        _time.HoldCallbacks();
        _time.Advance(TimeSpan.FromMilliseconds(2500));
        _time.RunHeldCallbacks();
        return open;
    }

    private bool Logged(string text) => _logs.Collector.GetSnapshot().Any(r => r.Message.Contains(text, StringComparison.Ordinal));

    private int[] Opens() => [_connector.Opens("a"), _connector.Opens("b"), _connector.Opens("c")];
}
