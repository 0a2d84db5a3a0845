using System;
using System.Globalization;

namespace ProxySql.Generator.Parser;

/// <summary>
/// Reads an interval exactly as the runtime binder does: a number of seconds (<c>"30"</c>, <c>"0.5"</c>), else a
/// constant-format TimeSpan (<c>"00:00:30"</c>); invariant culture; it must be greater than zero (or zero where a
/// setting allows it) and at most 24 days (the runtime's limit: timers and retry dates overflow beyond it).
/// </summary>
internal static class IntervalText
{
    private const long MaxTicks = 24 * TimeSpan.TicksPerDay;

    public static bool TryParsePositive(string? text, out long ticks) => TryParse(text, allowZero: false, out ticks);

    public static bool TryParse(string? text, bool allowZero, out long ticks)
    {
        ticks = 0;
        if (text is null || text.Trim().Length == 0)
        {
            return false;
        }

        var trimmed = text.Trim();
        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }

            ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            return InRange(ticks, allowZero);
        }

        if (!TimeSpan.TryParseExact(trimmed, "c", CultureInfo.InvariantCulture, out var span))
        {
            return false;
        }

        ticks = span.Ticks;
        return InRange(ticks, allowZero);
    }

    private static bool InRange(long ticks, bool allowZero) => (allowZero ? ticks >= 0 : ticks > 0) && ticks <= MaxTicks;
}
