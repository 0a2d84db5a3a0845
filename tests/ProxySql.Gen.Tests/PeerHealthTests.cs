using Microsoft.Extensions.Time.Testing;
using ProxySql.Core;

namespace ProxySql.Tests;

public sealed class PeerHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_new_peer_is_unknown_but_serving_until_it_is_checked()
    {
        var health = new PeerHealth();
        Assert.Equal(ProxySqlPeerState.Unknown, health.State);
        Assert.True(health.IsServing);
        Assert.Equal(ProxySqlPeerStateReason.None, health.Reason);
        Assert.Null(health.LastError);
        Assert.Equal(ProxySqlPeerState.Unknown, health.MarkUp(health.Epoch, _time.GetUtcNow()));
        Assert.Equal(ProxySqlPeerState.Up, health.State);
        Assert.Equal(DateTimeOffset.MinValue, health.RecoveredAt);
    }

    [Fact]
    public void Refused_peer_is_down_with_its_reason_until_its_retry_time()
    {
        var health = new PeerHealth();
        var now = _time.GetUtcNow();
        Assert.True(health.MarkDown(now, now.AddSeconds(30), FailureKind.Refused, ProxySqlPeerStateReason.Refused, "refused: nope"));
        Assert.Equal(ProxySqlPeerState.Down, health.State);
        Assert.Equal(ProxySqlPeerStateReason.Refused, health.Reason);
        _time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.False(health.IsRetryDue(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(health.IsRetryDue(_time.GetUtcNow()));
        Assert.Equal("refused: nope", health.LastError);
        Assert.Equal(now, health.LastErrorAt);
    }

    [Fact]
    public void A_late_failure_does_not_move_the_retry_earlier_nor_restart_the_down_since()
    {
        var health = new PeerHealth();
        var start = _time.GetUtcNow();
        health.MarkDown(start, start.AddSeconds(30), FailureKind.Timeout, ProxySqlPeerStateReason.Timeout, "timeout");
        _time.Advance(TimeSpan.FromSeconds(5));
        var now = _time.GetUtcNow();
        Assert.False(health.MarkDown(now, now.AddSeconds(10), FailureKind.Refused, ProxySqlPeerStateReason.Refused, "refused"));
        Assert.Equal(start.AddSeconds(30), health.RetryAt);
        Assert.Equal(start, health.UnavailableSince);
        Assert.Equal(FailureKind.Refused, health.LastFailure);
    }

    [Fact]
    public void Recovery_brings_a_down_peer_up_once_keeps_the_last_error_as_history_and_starts_the_slow_start_clock()
    {
        var health = new PeerHealth();
        var now = _time.GetUtcNow();
        health.MarkDown(now, now.AddSeconds(30), FailureKind.Refused, ProxySqlPeerStateReason.Refused, "refused");
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(ProxySqlPeerState.Down, health.MarkUp(health.Epoch, _time.GetUtcNow()));
        Assert.Null(health.MarkUp(health.Epoch, _time.GetUtcNow()));
        Assert.Equal(ProxySqlPeerState.Up, health.State);
        Assert.Equal(ProxySqlPeerStateReason.None, health.Reason);
        Assert.Equal("refused", health.LastError);
        Assert.Equal(now, health.LastErrorAt);
        Assert.Equal(_time.GetUtcNow(), health.RecoveredAt);
    }

    [Fact]
    public void A_check_that_started_before_the_peer_went_down_does_not_bring_it_up()
    {
        var health = new PeerHealth();
        var startedIn = health.Epoch;
        var now = _time.GetUtcNow();
        health.MarkDown(now, now.AddSeconds(30), FailureKind.Timeout, ProxySqlPeerStateReason.Timeout, "timeout");
        Assert.Null(health.MarkUp(startedIn, now));
        Assert.Equal(ProxySqlPeerState.Down, health.State);
    }

    [Fact]
    public void Draining_peer_takes_no_leases_reports_paused_and_comes_back_up()
    {
        var health = new PeerHealth();
        Assert.True(health.MarkDraining(_time.GetUtcNow(), "paused"));
        Assert.False(health.IsServing);
        Assert.Equal(ProxySqlPeerState.Draining, health.State);
        Assert.Equal(ProxySqlPeerStateReason.Paused, health.Reason);
        Assert.False(health.MarkDraining(_time.GetUtcNow(), "paused"));
        Assert.Equal(ProxySqlPeerState.Draining, health.MarkUp(health.Epoch, _time.GetUtcNow()));
        Assert.True(health.IsServing);
    }

    [Fact]
    public void A_paused_node_that_then_dies_is_down_not_draining()
    {
        var health = new PeerHealth();
        var now = _time.GetUtcNow();
        health.MarkDraining(now, "paused");
        Assert.True(health.MarkDown(now, now.AddSeconds(30), FailureKind.Refused, ProxySqlPeerStateReason.Refused, "refused"));
        Assert.Equal(ProxySqlPeerState.Down, health.State);
        Assert.Equal(now, health.UnavailableSince);
    }

    [Fact]
    public void Reset_makes_the_peer_unknown_again_and_voids_checks_under_way()
    {
        var health = new PeerHealth();
        var epoch = health.Epoch;
        var now = _time.GetUtcNow();
        health.MarkDown(now, now.AddSeconds(30), FailureKind.Refused, ProxySqlPeerStateReason.Refused, "refused");
        health.Reset();
        Assert.Equal(ProxySqlPeerState.Unknown, health.State);
        Assert.Null(health.MarkUp(epoch, now));
    }
}
