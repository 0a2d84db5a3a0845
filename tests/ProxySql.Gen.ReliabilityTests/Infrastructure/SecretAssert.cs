using System.Text.RegularExpressions;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>Assertions that <see cref="HostileConfiguration.Secret"/> leaks nowhere and that configuration errors name their path.</summary>
internal static partial class SecretAssert
{
    public static void Absent(string? text, string where)
    {
        if (text is not null && text.Contains(HostileConfiguration.Secret, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"the password appears in the {where}: {text}");
    }

    public static void Absent(TelemetryCapture capture)
    {
        var leaks = capture.Find(HostileConfiguration.Secret);
        if (leaks.Count > 0)
            throw new InvalidOperationException($"the password appears in {leaks.Count} captured log lines, metric tags or activities:\n{string.Join("\n", leaks.Take(5))}");
    }

    /// <summary>The message starts with, or at least contains, a path under the section; <see cref="ProxySqlConfigurationException.Path"/> agrees.</summary>
    public static void NamesAPath(ProxySqlConfigurationException exception)
    {
        if (!PathPattern().IsMatch(exception.Message))
            throw new InvalidOperationException($"the configuration error names no configuration path under '{HostileConfiguration.Section}': {exception.Message}");
        if (exception.Path is { } path && (!path.StartsWith(HostileConfiguration.Section, StringComparison.OrdinalIgnoreCase) || !exception.Message.Contains(path, StringComparison.Ordinal)))
            throw new InvalidOperationException($"the configuration error's Path '{path}' is not under the section or not in its message: {exception.Message}");
    }

    [GeneratedRegex(@"(^|[\s'""(])ProxySql(:[^\s:]*)*", RegexOptions.IgnoreCase)]
    private static partial Regex PathPattern();
}
