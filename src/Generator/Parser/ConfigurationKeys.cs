using System;

namespace ProxySql.Generator.Parser;

/// <summary>The configuration names the runtime binds, shared by the C# and the JSON checks.</summary>
internal static class ConfigurationKeys
{
    public const string Peers = "Peers";
    public const string ConnectionString = "ConnectionString";
    public const string Weight = "Weight";
    public const string Enabled = "Enabled";
    public const string Strategy = "Strategy";
    public const string Hosting = "Hosting";

    public static readonly string[] Intervals = { "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval" };

    public const int MaxPeers = 64;

    public static readonly string[] SectionSettings = { ConnectionString, "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval", Strategy, Peers, Hosting };

    public static readonly string[] PeerSettings = { ConnectionString, Weight, Enabled };

    public static readonly string[] StrategyNames = { "Random", "RoundRobin", "LeastConnections", "Ordered" };

    public static bool NameEquals(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="sectionName"/> is not a usable section path, or <see langword="null"/>.</summary>
    public static string? SectionNameProblem(string? sectionName)
    {
        if (sectionName is null || sectionName.Trim().Length == 0)
        {
            return "use a non-empty section name such as \"ProxySql\"";
        }

        foreach (var part in sectionName.Split(':'))
        {
            if (part.Trim().Length == 0)
            {
                return "every ':'-separated part must be non-empty, e.g. \"Databases:ProxySql\"";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="key"/> is not a usable peer key, or <see langword="null"/>.</summary>
    public static string? PeerKeyProblem(string? key)
    {
        if (key is null || key.Trim().Length == 0)
        {
            return "use a non-empty key, or [Peer] without a key to use the property name";
        }

        return key.IndexOf(':') >= 0 ? "a peer key cannot contain ':' (it separates configuration sections)" : null;
    }
}
