using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace ProxySql.Configuration;

/// <summary>Reads one typed value of a configuration section; <see langword="null"/> when absent, an error naming the path when invalid.</summary>
internal static class SectionValues
{
    private const string IntervalSyntax = "Write a TimeSpan such as \"00:00:30\" or a number of seconds such as \"30\" or \"0.5\".";

    public static TimeSpan? Interval(IConfigurationSection section, string key, bool allowZero = false)
    {
        var text = section[key];
        if (text is null)
            return null;
        if (!DurationParser.TryParse(text, out var value) || !SettingLimits.IsInterval(value, allowZero))
        {
            var range = allowZero ? "an interval of 0 (off) to 24 days" : "a positive interval of at most 24 days";
            throw new ProxySqlConfigurationException(section.Path + ":" + key, $"'{text}' is not {range}. {IntervalSyntax}");
        }

        return value;
    }

    public static int? Count(IConfigurationSection section, string key, int max)
    {
        var text = section[key];
        if (text is null)
            return null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 0 || value > max)
            throw new ProxySqlConfigurationException(section.Path + ":" + key, $"'{text}' is not a whole number from 0 to {max.ToString(CultureInfo.InvariantCulture)}.");
        return value;
    }

    public static bool? Flag(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (text is null)
            return null;
        if (!bool.TryParse(text, out var value))
            throw new ProxySqlConfigurationException(section.Path + ":" + key, $"'{text}' is not a boolean. Use true or false.");
        return value;
    }

    /// <summary>The probe statement, trimmed (a trailing ';' is dropped); the text is a statement, not a secret, so it may be echoed.</summary>
    public static string? ProbeQuery(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (text is null)
            return null;
        var problem = SettingLimits.ProbeQueryProblem(text);
        if (problem is not null)
            throw new ProxySqlConfigurationException(section.Path + ":" + key, problem + ".");
        return text.Trim().TrimEnd(';').TrimEnd();
    }

    public static ProxySqlStrategy? Strategy(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (text is null)
            return null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || !char.IsLetter(trimmed[0]) || !Enum.TryParse<ProxySqlStrategy>(trimmed, ignoreCase: true, out var strategy) || !Enum.IsDefined(strategy))
            throw new ProxySqlConfigurationException(section.Path + ":" + key, $"'{text}' is not a strategy. Use one of: {string.Join(", ", Enum.GetNames<ProxySqlStrategy>())}.");
        return strategy;
    }
}
