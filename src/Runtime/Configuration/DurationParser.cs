using System.Globalization;

namespace ProxySql.Configuration;

/// <summary>Parses an interval written as a TimeSpan (<c>"00:00:30"</c>) or as a number of seconds (<c>"30"</c>, <c>"0.5"</c>).</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            // Both signs: TimeSpan.FromSeconds throws OverflowException beyond its range (e.g. "-1e308").
            if (double.IsNaN(seconds) || double.IsInfinity(seconds) || Math.Abs(seconds) > TimeSpan.MaxValue.TotalSeconds / 2)
                return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value);
    }
}
