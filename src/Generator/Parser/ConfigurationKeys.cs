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

    public const string ProbeQuery = "ProbeQuery";
    public const string MaxHedgedAttempts = "MaxHedgedAttempts";
    public const string SlowStartWindow = "SlowStartWindow";
    public const string ShutdownSessionsOnMarkDown = "ShutdownSessionsOnMarkDown";

    /// <summary>Intervals that must be positive (SlowStartWindow, which may be 0, is not among them).</summary>
    public static readonly string[] Intervals = { "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval", "ProbeTimeout" };

    public const int MaxPeers = 64;

    /// <summary>At most 64 peers, so at most 63 attempts besides the first can ever be in flight (the runtime's limit).</summary>
    public const int MaxHedgedAttemptsLimit = MaxPeers - 1;

    public static readonly string[] SectionSettings =
    {
        ConnectionString, "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval", Strategy,
        ProbeQuery, "ProbeTimeout", MaxHedgedAttempts, SlowStartWindow, ShutdownSessionsOnMarkDown, Peers, Hosting,
    };

    public static readonly string[] PeerSettings = { ConnectionString, Weight, Enabled };

    public static readonly string[] StrategyNames = { "Random", "RoundRobin", "LeastConnections", "Ordered", "LoadAware" };

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

    /// <summary>Why <paramref name="query"/> cannot be a probe statement, or <see langword="null"/>; the runtime's rule.</summary>
    public static string? ProbeQueryProblem(string? query)
    {
        var trimmed = (query ?? string.Empty).Trim().TrimEnd(';').TrimEnd();
        if (trimmed.Length == 0)
        {
            return "use one statement that ProxySQL sends to a backend, e.g. \"SELECT 1\"";
        }

        return trimmed.IndexOf(';') >= 0 ? "use one statement (no ';' before the end), e.g. \"SELECT 1\"" : null;
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
