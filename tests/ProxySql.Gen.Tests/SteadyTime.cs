using Microsoft.Extensions.Time.Testing;
using ProxySql.Core;

namespace ProxySql.Tests;

/// <summary>
/// Fake time that passes while this process keeps running. One big <see cref="FakeTimeProvider.Advance(TimeSpan)"/>
/// runs every timer callback at the end of the jump, which is what a frozen process sees (<see cref="ProcessStalls"/>
/// then excuses the deadlines that passed); tests of a silent peer advance in steps no longer than the stall ticker's.
/// </summary>
internal static class SteadyTime
{
    public static void AdvanceSteadily(this FakeTimeProvider time, TimeSpan by)
    {
        while (by > TimeSpan.Zero)
        {
            var step = by < ProcessStalls.TickInterval ? by : ProcessStalls.TickInterval;
            time.Advance(step);
            by -= step;
        }
    }
}
