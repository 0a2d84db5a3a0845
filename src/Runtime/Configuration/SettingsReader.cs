using System.Globalization;
using Microsoft.Extensions.Configuration;
using MySqlConnector;

namespace ProxySql.Configuration;

/// <summary>
/// Binds a balancer's configuration section without reflection. Priority: configuration, then the attribute's
/// compile-time defaults, then the library defaults. Every error names the configuration path.
/// </summary>
internal static class SettingsReader
{
    private static readonly string[] s_sectionKeys = ["ConnectionString", "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval", "Strategy", "Peers", "Hosting"];
    private static readonly string[] s_peerKeys = ["ConnectionString", "Weight", "Enabled"];
    private static readonly string[] s_connectTimeoutAliases = ["Connect Timeout", "Connection Timeout", "ConnectTimeout", "ConnectionTimeout"];

    // Timers take at most ~49.7 days, and a Down peer's retry time (now + 1.1 x CheckInterval) must stay a valid date.
    private static readonly TimeSpan s_maxInterval = TimeSpan.FromDays(24);

    public static BalancerSettings Read(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(sectionName);
        if (peers.Count == 0)
            throw new ProxySqlConfigurationException(sectionName, "no peers are declared. Declare at least one 'partial ProxySqlPeer' property.");
        if (peers.Count > 64)
            throw new ProxySqlConfigurationException(sectionName, "more than 64 peers are declared; the balancer supports at most 64.");

        var section = configuration.GetSection(sectionName);
        foreach (var child in section.GetChildren())
        {
            if (!s_sectionKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw new ProxySqlConfigurationException(child.Path, $"unknown setting. Known settings: {string.Join(", ", s_sectionKeys)}.");
        }

        var sharedPath = sectionName + ":ConnectionString";
        var shared = new MySqlConnectionStringBuilder();
        var sharedText = section["ConnectionString"];
        ConnectionStrings.MergeInto(shared, sharedText, sharedPath);

        var connectTimeoutFromConnectionString = ExplicitConnectTimeout(sharedText, shared);

        var settings = new BalancerSettings
        {
            SectionName = sectionName,
            CheckInterval = ReadInterval(section, "CheckInterval") ?? defaults.CheckInterval ?? BalancerSettings.DefaultCheckInterval,
            ConnectTimeout = ReadInterval(section, "ConnectTimeout") ?? defaults.ConnectTimeout ?? connectTimeoutFromConnectionString ?? BalancerSettings.DefaultConnectTimeout,
            HedgeDelay = ReadInterval(section, "HedgeDelay") ?? defaults.HedgeDelay ?? BalancerSettings.DefaultHedgeDelay,
            ProbeInterval = ReadInterval(section, "ProbeInterval") ?? defaults.ProbeInterval ?? BalancerSettings.DefaultProbeInterval,
            Strategy = ReadStrategy(section) ?? defaults.Strategy ?? ProxySqlStrategy.Random,
            RedactedConnectionString = ConnectionStrings.Redact(shared),
            Peers = [],
        };

        return settings with { Peers = ReadPeers(section, peers, shared, settings.ConnectTimeout) };
    }

    private static PeerSettings[] ReadPeers(IConfigurationSection section, IReadOnlyList<ProxySqlPeerDefinition> peers, MySqlConnectionStringBuilder shared, TimeSpan connectTimeout)
    {
        var peersSection = section.GetSection("Peers");
        var configured = new Dictionary<string, IConfigurationSection>(StringComparer.OrdinalIgnoreCase);
        foreach (var child in peersSection.GetChildren())
            configured[child.Key] = child;

        var declared = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var peer in peers)
        {
            if (!declared.Add(peer.ConfigurationKey))
                throw new ProxySqlConfigurationException(peersSection.Path + ":" + peer.ConfigurationKey, "two peers are declared with this key (keys are case-insensitive). Give one of them another key with [Peer(\"...\")].");
        }

        foreach (var key in configured.Keys)
        {
            if (!declared.Contains(key))
            {
                throw new ProxySqlConfigurationException(
                    peersSection.Path + ":" + key,
                    $"no property declares a peer with this key. Declared keys: {string.Join(", ", peers.Select(p => p.ConfigurationKey))}. Remove it from configuration or declare 'public partial ProxySqlPeer {key} {{ get; }}'.");
            }
        }

        var result = new PeerSettings[peers.Count];
        for (var i = 0; i < peers.Count; i++)
        {
            var definition = peers[i];
            var path = peersSection.Path + ":" + definition.ConfigurationKey;
            if (!configured.TryGetValue(definition.ConfigurationKey, out var peerSection))
                throw new ProxySqlConfigurationException(path, $"the peer '{definition.Name}' is declared but not configured. Add this section with at least a ConnectionString (Server and Port).");
            result[i] = ReadPeer(definition, peerSection, shared, connectTimeout);
        }

        return result;
    }

    private static PeerSettings ReadPeer(ProxySqlPeerDefinition definition, IConfigurationSection section, MySqlConnectionStringBuilder shared, TimeSpan connectTimeout)
    {
        foreach (var child in section.GetChildren())
        {
            if (!s_peerKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw new ProxySqlConfigurationException(child.Path, $"unknown peer setting. Known peer settings: {string.Join(", ", s_peerKeys)}.");
        }

        var csPath = section.Path + ":ConnectionString";
        var builder = new MySqlConnectionStringBuilder(shared.ConnectionString);
        ConnectionStrings.MergeInto(builder, section["ConnectionString"], csPath);
        if (string.IsNullOrWhiteSpace(builder.Server))
            throw new ProxySqlConfigurationException(csPath, "no Server is set for this peer. Set 'Server=host;Port=6033' here or in the shared ConnectionString.");

        // The driver's own timeout backs up the per-attempt timeout the balancer enforces.
        builder.ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(connectTimeout.TotalSeconds));

        var weight = definition.DefaultWeight;
        var weightText = section["Weight"];
        if (weightText is not null)
        {
            if (!int.TryParse(weightText, NumberStyles.Integer, CultureInfo.InvariantCulture, out weight) || weight < 0)
                throw new ProxySqlConfigurationException(section.Path + ":Weight", $"'{weightText}' is not a whole number of 0 or more. Use e.g. 1 (0 makes the peer a standby, used only when no weighted peer can serve).");
        }

        var enabled = true;
        var enabledText = section["Enabled"];
        if (enabledText is not null && !bool.TryParse(enabledText, out enabled))
            throw new ProxySqlConfigurationException(section.Path + ":Enabled", $"'{enabledText}' is not a boolean. Use true or false.");

        var probe = new MySqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false };
        return new PeerSettings(definition.Name, definition.ConfigurationKey, builder.ConnectionString, probe.ConnectionString, ConnectionStrings.Endpoint(builder), weight, enabled);
    }

    private static TimeSpan? ReadInterval(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (text is null)
            return null;
        if (!DurationParser.TryParse(text, out var value) || value <= TimeSpan.Zero || value > s_maxInterval)
            throw new ProxySqlConfigurationException(section.Path + ":" + key, $"'{text}' is not a positive interval of at most 24 days. Write a TimeSpan such as \"00:00:30\" or a number of seconds such as \"30\" or \"0.5\".");
        return value;
    }

    private static ProxySqlStrategy? ReadStrategy(IConfigurationSection section)
    {
        var text = section["Strategy"];
        if (text is null)
            return null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0 || !char.IsLetter(trimmed[0]) || !Enum.TryParse<ProxySqlStrategy>(trimmed, ignoreCase: true, out var strategy) || !Enum.IsDefined(strategy))
            throw new ProxySqlConfigurationException(section.Path + ":Strategy", $"'{text}' is not a strategy. Use one of: {string.Join(", ", Enum.GetNames<ProxySqlStrategy>())}.");
        return strategy;
    }

    private static TimeSpan? ExplicitConnectTimeout(string? text, MySqlConnectionStringBuilder parsed)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var generic = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = text };
        foreach (var alias in s_connectTimeoutAliases)
        {
            if (generic.ContainsKey(alias))
                return parsed.ConnectionTimeout == 0 ? null : TimeSpan.FromSeconds(parsed.ConnectionTimeout);
        }

        return null;
    }
}
