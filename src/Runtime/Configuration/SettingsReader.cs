using System.Data.Common;
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
    private static readonly string[] s_sectionKeys =
    [
        "ConnectionString", "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval", "Strategy",
        "ProbeQuery", "ProbeTimeout", "MaxHedgedAttempts", "SlowStartWindow", "ShutdownSessionsOnMarkDown", "Peers", "Hosting",
    ];

    private static readonly string[] s_peerKeys = ["ConnectionString", "Weight", "Enabled"];
    private static readonly string[] s_connectTimeoutAliases = ["Connect Timeout", "Connection Timeout", "ConnectTimeout", "ConnectionTimeout"];

    public static BalancerSettings Read(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrEmpty(sectionName);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(defaults);
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

        CheckDefaults(sectionName, defaults);

        var sharedPath = sectionName + ":ConnectionString";
        var shared = new MySqlConnectionStringBuilder();
        var sharedText = section["ConnectionString"];
        ConnectionStrings.MergeInto(shared, sharedText, sharedPath);
        var connectTimeoutFromConnectionString = ExplicitConnectTimeout(sharedText, shared, sharedPath);

        var settings = new BalancerSettings
        {
            SectionName = sectionName,
            CheckInterval = SectionValues.Interval(section, "CheckInterval") ?? defaults.CheckInterval ?? BalancerSettings.DefaultCheckInterval,
            ConnectTimeout = SectionValues.Interval(section, "ConnectTimeout") ?? defaults.ConnectTimeout ?? connectTimeoutFromConnectionString ?? BalancerSettings.DefaultConnectTimeout,
            HedgeDelay = SectionValues.Interval(section, "HedgeDelay") ?? defaults.HedgeDelay ?? BalancerSettings.DefaultHedgeDelay,
            ProbeInterval = SectionValues.Interval(section, "ProbeInterval") ?? defaults.ProbeInterval ?? BalancerSettings.DefaultProbeInterval,
            Strategy = SectionValues.Strategy(section, "Strategy") ?? defaults.Strategy ?? BalancerSettings.DefaultStrategy,
            ProbeQuery = SectionValues.ProbeQuery(section, "ProbeQuery") ?? defaults.ProbeQuery ?? BalancerSettings.DefaultProbeQuery,
            ProbeTimeout = SectionValues.Interval(section, "ProbeTimeout") ?? defaults.ProbeTimeout ?? BalancerSettings.DefaultProbeTimeout,
            MaxHedgedAttempts = SectionValues.Count(section, "MaxHedgedAttempts", SettingLimits.MaxHedgedAttempts) ?? defaults.MaxHedgedAttempts ?? BalancerSettings.DefaultMaxHedgedAttempts,
            SlowStartWindow = SectionValues.Interval(section, "SlowStartWindow", allowZero: true) ?? defaults.SlowStartWindow ?? BalancerSettings.DefaultSlowStartWindow,
            ShutdownSessionsOnMarkDown = SectionValues.Flag(section, "ShutdownSessionsOnMarkDown") ?? defaults.ShutdownSessionsOnMarkDown ?? false,
            RedactedConnectionString = ConnectionStrings.Redact(shared),
            Peers = [],
        };

        return settings with { Peers = ReadPeers(section, peers, shared, settings.ConnectTimeout) };
    }

    /// <summary>Generated code passes only values the generator checked; hand-written defaults get the same checks.</summary>
    private static void CheckDefaults(string sectionName, ProxySqlDefaults defaults)
    {
        static void Interval(string section, string key, TimeSpan? value, bool allowZero = false)
        {
            if (value is { } v && !SettingLimits.IsInterval(v, allowZero))
                throw new ProxySqlConfigurationException(section + ":" + key, $"the compile-time default {v.ToString("c", CultureInfo.InvariantCulture)} (from [ProxySqlDatabases]) is out of range: {(allowZero ? "0 to 24 days" : "more than 0 and at most 24 days")}.");
        }

        Interval(sectionName, "CheckInterval", defaults.CheckInterval);
        Interval(sectionName, "ConnectTimeout", defaults.ConnectTimeout);
        Interval(sectionName, "HedgeDelay", defaults.HedgeDelay);
        Interval(sectionName, "ProbeInterval", defaults.ProbeInterval);
        Interval(sectionName, "ProbeTimeout", defaults.ProbeTimeout);
        Interval(sectionName, "SlowStartWindow", defaults.SlowStartWindow, allowZero: true);
        if (defaults.Strategy is { } strategy && !Enum.IsDefined(strategy))
            throw new ProxySqlConfigurationException(sectionName + ":Strategy", $"the compile-time default {(int)strategy} (from [ProxySqlDatabases]) is not a strategy.");
        if (defaults.MaxHedgedAttempts is < 0 or > SettingLimits.MaxHedgedAttempts)
            throw new ProxySqlConfigurationException(sectionName + ":MaxHedgedAttempts", $"the compile-time default {defaults.MaxHedgedAttempts} (from [ProxySqlDatabases]) is not from 0 to {SettingLimits.MaxHedgedAttempts}.");
        if (defaults.ProbeQuery is { } query && SettingLimits.ProbeQueryProblem(query) is { } problem)
            throw new ProxySqlConfigurationException(sectionName + ":ProbeQuery", $"the compile-time default (from [ProxySqlDatabases]) {problem}.");
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

    private static PeerSettings ReadPeer(ProxySqlPeerDefinition definition, IConfigurationSection section, MySqlConnectionStringBuilder shared, TimeSpan sharedConnectTimeout)
    {
        foreach (var child in section.GetChildren())
        {
            if (!s_peerKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw new ProxySqlConfigurationException(child.Path, $"unknown peer setting. Known peer settings: {string.Join(", ", s_peerKeys)}.");
        }

        var csPath = section.Path + ":ConnectionString";
        var builder = new MySqlConnectionStringBuilder(shared.ConnectionString);
        var peerText = section["ConnectionString"];
        ConnectionStrings.MergeInto(builder, peerText, csPath);
        if (string.IsNullOrWhiteSpace(builder.Server))
            throw new ProxySqlConfigurationException(csPath, "no Server is set for this peer. Set 'Server=host;Port=6033' here or in the shared ConnectionString.");

        // The peer's own Connect Timeout is the most specific setting, so it wins over the section's (and over the
        // shared string's). The balancer enforces it per attempt, and gives an attempt one more when this process stood
        // still through it (ProcessStalls); the driver's own timeout only backs that up, so it runs out later than both.
        var connectTimeout = ExplicitConnectTimeout(peerText, builder, csPath) ?? sharedConnectTimeout;
        builder.ConnectionTimeout = DriverConnectTimeoutSeconds(connectTimeout);

        // ProxySQL 2.7 cannot take MySqlConnector's pipelined BeginTransaction (it answers with a packet out of order,
        // mysql-net/MySqlConnector#1465), so unless the configuration says otherwise, peers are not pipelined.
        if (!builder.ContainsKey("Pipelining"))
            builder.Pipelining = false;

        Validate(builder, csPath);

        var weight = definition.DefaultWeight;
        var weightText = section["Weight"];
        if (weightText is not null)
        {
            if (!int.TryParse(weightText, NumberStyles.Integer, CultureInfo.InvariantCulture, out weight) || weight < 0)
                throw new ProxySqlConfigurationException(section.Path + ":Weight", $"'{weightText}' is not a whole number of 0 or more. Use e.g. 1 (0 makes the peer a standby, used only when no weighted peer can serve).");
        }
        else if (weight < 0)
        {
            throw new ProxySqlConfigurationException(section.Path + ":Weight", $"the compile-time default weight {weight.ToString(CultureInfo.InvariantCulture)} (from [Peer]) is negative. Use 0 or more.");
        }

        var enabled = SectionValues.Flag(section, "Enabled") ?? true;

        // Probes check the node, not the application's schema: without a default database they also serve an
        // application that creates its database at start (EF Core's EnsureCreated, migrations).
        var probe = new MySqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, Database = string.Empty };
        return new PeerSettings(definition.Name, definition.ConfigurationKey, builder.ConnectionString, probe.ConnectionString, ConnectionStrings.Endpoint(builder), weight, enabled, connectTimeout);
    }

    /// <summary>
    /// The driver's Connect Timeout for a peer whose per-attempt timeout is <paramref name="connectTimeout"/>: twice it,
    /// in whole seconds, plus one, so that it runs out after the balancer's deadline even when that was moved once.
    /// </summary>
    internal static uint DriverConnectTimeoutSeconds(TimeSpan connectTimeout) => (uint)Math.Ceiling(2 * connectTimeout.TotalSeconds) + 1;

    /// <summary>
    /// The checks MySqlConnector makes of a whole connection string when its pool is built (pool sizes, options that
    /// exclude each other), made here so they fail with the configuration path instead of deep in the first open.
    /// </summary>
    private static void Validate(MySqlConnectionStringBuilder builder, string path)
    {
        if (builder.MinimumPoolSize > builder.MaximumPoolSize)
            throw new ProxySqlConfigurationException(path, $"Minimum Pool Size ({builder.MinimumPoolSize.ToString(CultureInfo.InvariantCulture)}) is more than Maximum Pool Size ({builder.MaximumPoolSize.ToString(CultureInfo.InvariantCulture)}), merged with the shared ConnectionString. Lower the minimum or raise the maximum.");
        try
        {
            // Building a data source runs the driver's own validation; it opens nothing.
            using var source = new MySqlDataSource(builder.ConnectionString);
        }
        catch (Exception ex) when (ex is MySqlException or NotSupportedException or InvalidOperationException)
        {
            throw new ProxySqlConfigurationException(path, $"is rejected by MySqlConnector (merged with the shared ConnectionString): {ex.Message}. Fix or remove the option.");
        }
    }

    /// <summary>
    /// The <c>Connect Timeout</c> that <paramref name="text"/> itself sets (under any alias), or <see langword="null"/>.
    /// 0 (the driver's "wait forever") is rejected: an attempt the balancer abandons must still end.
    /// </summary>
    private static TimeSpan? ExplicitConnectTimeout(string? text, MySqlConnectionStringBuilder parsed, string path)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var generic = new DbConnectionStringBuilder { ConnectionString = text };
        foreach (var alias in s_connectTimeoutAliases)
        {
            if (!generic.ContainsKey(alias))
                continue;
            var value = TimeSpan.FromSeconds(parsed.ConnectionTimeout);
            if (!SettingLimits.IsInterval(value, allowZero: false))
            {
                throw new ProxySqlConfigurationException(
                    path,
                    $"option '{alias}' is {parsed.ConnectionTimeout.ToString(CultureInfo.InvariantCulture)}; use 1 to {(int)SettingLimits.MaxInterval.TotalSeconds} seconds (0, which waits forever, would leave abandoned attempts open), or remove it and set the section's ConnectTimeout.");
            }

            return value;
        }

        return null;
    }
}
