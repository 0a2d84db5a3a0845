using Microsoft.Extensions.Time.Testing;
using ProxySql.Balancing;

namespace ProxySql.Tests;

public sealed class PeerHealthTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_new_peer_is_up()
    {
        var health = new PeerHealth();
        Assert.True(health.IsUp);
        Assert.Equal(ProxySqlPeerState.Up, health.State);
        Assert.Null(health.LastError);
    }

    [Fact]
    public void Refused_peer_is_down_until_its_retry_time()
    {
        var health = new PeerHealth();
        var now = _time.GetUtcNow();
        Assert.True(health.MarkDown(now, now.AddSeconds(30), FailureKind.Refused, "refused: nope", null));
        Assert.Equal(ProxySqlPeerState.Down, health.State);
        _time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.False(health.IsRetryDue(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(health.IsRetryDue(_time.GetUtcNow()));
        Assert.Equal("refused: nope", health.LastError);
    }

    [Fact]
    public void A_late_failure_does_not_move_the_retry_earlier_nor_restart_the_down_since()
    {
        var health = new PeerHealth();
        var start = _time.GetUtcNow();
        health.MarkDown(start, start.AddSeconds(30), FailureKind.Timeout, "timeout", null);
        _time.Advance(TimeSpan.FromSeconds(5));
        var now = _time.GetUtcNow();
        Assert.False(health.MarkDown(now, now.AddSeconds(10), FailureKind.Refused, "refused", null));
        Assert.Equal(start.AddSeconds(30), health.RetryAt);
        Assert.Equal(start, health.UnavailableSince);
        Assert.Equal(FailureKind.Refused, health.LastFailure);
    }

    [Fact]
    public void A_successful_open_brings_a_down_peer_up_once()
    {
        var health = new PeerHealth();
        var now = _time.GetUtcNow();
        health.MarkDown(now, now.AddSeconds(30), FailureKind.Refused, "refused", null);
        Assert.True(health.MarkUp(health.Epoch));
        Assert.False(health.MarkUp(health.Epoch));
        Assert.True(health.IsUp);
    }

    [Fact]
    public void A_straggler_that_started_before_the_peer_went_down_does_not_bring_it_up()
    {
        var health = new PeerHealth();
        var startedIn = health.Epoch;
        var now = _time.GetUtcNow();
        health.MarkDown(now, now.AddSeconds(30), FailureKind.Timeout, "timeout", null);
        Assert.False(health.MarkUp(startedIn));
        Assert.Equal(ProxySqlPeerState.Down, health.State);
    }

    [Fact]
    public void Draining_peer_takes_no_leases_and_reports_draining()
    {
        var health = new PeerHealth();
        Assert.True(health.SetDraining(true, _time.GetUtcNow(), "probe refused"));
        Assert.False(health.IsUp);
        Assert.Equal(ProxySqlPeerState.Draining, health.State);
        Assert.False(health.SetDraining(true, _time.GetUtcNow()));
        Assert.True(health.SetDraining(false, _time.GetUtcNow()));
        Assert.True(health.IsUp);
    }
}
