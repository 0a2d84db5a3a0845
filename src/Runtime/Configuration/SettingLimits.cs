namespace ProxySql.Configuration;

/// <summary>The bounds every source of a setting (configuration, attribute, hand-written defaults) is held to.</summary>
internal static class SettingLimits
{
    /// <summary>
    /// Timers take at most ~49.7 days, <see cref="CancellationTokenSource"/> at most int.MaxValue ms (~24.8 days), and a
    /// Down peer's retry time (now + 1.1 x CheckInterval) must stay a valid date.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(24);

    /// <summary>At most 64 peers, so at most 63 attempts besides the first can ever be in flight.</summary>
    public const int MaxHedgedAttempts = 63;

    /// <summary>A positive interval of at most <see cref="MaxInterval"/>; <paramref name="allowZero"/> also admits zero.</summary>
    public static bool IsInterval(TimeSpan value, bool allowZero) =>
        (allowZero ? value >= TimeSpan.Zero : value > TimeSpan.Zero) && value <= MaxInterval;

    /// <summary>Why <paramref name="query"/> cannot be a probe statement, or <see langword="null"/>.</summary>
    public static string? ProbeQueryProblem(string query)
    {
        var trimmed = query.Trim().TrimEnd(';').TrimEnd();
        if (trimmed.Length == 0)
            return "is empty. Use one statement that ProxySQL sends to a backend, e.g. \"SELECT 1\"";

        // Several statements would leave results unread on the probe's kept session (and a ';' inside a literal is not worth parsing for).
        if (trimmed.Contains(';', StringComparison.Ordinal))
            return "holds more than one statement (a ';' before the end). Use one statement, e.g. \"SELECT 1\"";
        return null;
    }
}
