using ProxySql.Core;

namespace ProxySql.Tests;

/// <summary>The stall ticker on fake time: what counts as this process standing still, and over which span.</summary>
public sealed class ProcessStallsTests
{
    private readonly LateTimers _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Ticks_on_time_are_no_stall()
    {
        using var stalls = new ProcessStalls(_time);
        var start = _time.GetTimestamp();
        _time.AdvanceSteadily(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, stalls.Between(start, _time.GetTimestamp()));
    }

    [Fact]
    public void A_freeze_counts_once_the_ticker_ran_late_and_before_it_did()
    {
        using var stalls = new ProcessStalls(_time);
        var start = _time.GetTimestamp();
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        _time.HoldCallbacks();
        _time.Advance(TimeSpan.FromSeconds(1.5));

        // The ticker has not run since the freeze began: the gap since its last run, less one interval, counts already.
        Assert.Equal(TimeSpan.FromSeconds(1.4), stalls.Between(start, _time.GetTimestamp()));

        _time.RunHeldCallbacks();
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        var now = _time.GetTimestamp();
        Assert.Equal(TimeSpan.FromSeconds(1.4), stalls.Between(start, now));

        // Only the part of a stall after the start of the span counts, and nothing before it.
        Assert.Equal(TimeSpan.FromSeconds(0.5), stalls.Between(now - Ticks(1.5), now));
        Assert.Equal(TimeSpan.Zero, stalls.Between(now - Ticks(0.9), now));
    }

    [Fact]
    public void A_tick_less_than_an_interval_late_is_jitter()
    {
        using var stalls = new ProcessStalls(_time);
        var start = _time.GetTimestamp();
        _time.HoldCallbacks();
        _time.Advance(TimeSpan.FromMilliseconds(190));
        _time.RunHeldCallbacks();
        Assert.Equal(TimeSpan.Zero, stalls.Between(start, _time.GetTimestamp()));
    }

    [Theory]
    [InlineData(500, 200)]
    [InlineData(2000, 200)]
    [InlineData(5000, 500)]
    public void The_stall_that_excuses_a_timeout_is_a_tenth_of_it_and_at_least_200_ms(int connectTimeoutMs, int thresholdMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(thresholdMs), ProcessStalls.Threshold(TimeSpan.FromMilliseconds(connectTimeoutMs)));

    private long Ticks(double seconds) => (long)(seconds * _time.TimestampFrequency);
}
