using Microsoft.Extensions.Configuration;

namespace ProxySql.Hosting;

/// <summary>Binds <see cref="ProxySqlHostingSettings"/> without reflection; a bad value names its configuration path.</summary>
internal static class ProxySqlHostingSettingsReader
{
    public const string SectionKey = "Hosting";

    private static readonly string[] s_keys = [nameof(ProxySqlHostingSettings.DisableDataSource), nameof(ProxySqlHostingSettings.DisableHealthChecks), nameof(ProxySqlHostingSettings.DisableMetrics), nameof(ProxySqlHostingSettings.DisableTracing)];

    public static ProxySqlHostingSettings Read(IConfiguration configuration, string sectionName)
    {
        var section = configuration.GetSection(sectionName + ":" + SectionKey);
        foreach (var child in section.GetChildren())
        {
            if (!s_keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw new ProxySqlConfigurationException(child.Path, $"unknown hosting setting. Known hosting settings: {string.Join(", ", s_keys)}.");
        }

        return new ProxySqlHostingSettings
        {
            DisableDataSource = Flag(section, nameof(ProxySqlHostingSettings.DisableDataSource)),
            DisableHealthChecks = Flag(section, nameof(ProxySqlHostingSettings.DisableHealthChecks)),
            DisableMetrics = Flag(section, nameof(ProxySqlHostingSettings.DisableMetrics)),
            DisableTracing = Flag(section, nameof(ProxySqlHostingSettings.DisableTracing)),
        };
    }

    private static bool Flag(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
            return false;
        if (bool.TryParse(text.Trim(), out var value))
            return value;
        throw new ProxySqlConfigurationException($"{section.Path}:{key}", $"'{text}' is not true or false.");
    }
}
