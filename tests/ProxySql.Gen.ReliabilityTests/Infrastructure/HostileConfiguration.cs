using CsCheck;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// CsCheck generators of hostile configuration trees for <see cref="ChaosDatabases"/> (section <c>ProxySql</c>, peer keys
/// Edge1, Edge2, proxysql-c): bad intervals, weights, flags and strategies, unknown settings and peers, missing
/// peers, and connection strings, well-formed or not, that carry <see cref="Secret"/> wherever a password can go.
/// Servers are loopback addresses on port 9, where nothing listens, so an open fails fast and dials nothing else.
/// </summary>
internal static class HostileConfiguration
{
    public const string Secret = "S3cr3t-P4ss";

    public const string Section = "ProxySql";

    private static readonly string[] SectionSettings = ["ConnectionString", "CheckInterval", "ConnectTimeout", "HedgeDelay", "ProbeInterval", "Strategy", "checkinterval", "Retries", "Password", "Peers"];

    private static readonly string[] PeerKeys = ["Edge1", "edge1", "EDGE2", "proxysql-c", "PROXYSQL-C", "Edge3", "Edge4", "Edge1 ", " ", "Edge:1"];

    private static readonly string[] PeerSettings = ["ConnectionString", "Weight", "Enabled", "weight", "Wieght", "Password", "Port"];

    private static readonly string?[] Intervals =
    [
        "00:00:30", "30", "0.5", "0.001", "1", "-1", "0", "00:00:00", "-00:00:01", "abc", "", " ", "1e309", "-1e309", "1e308", "-1e308",
        "NaN", "Infinity", "-Infinity", "10675199.02:48:05.4775807", "-10675199.02:48:05.4775808", "99999999999999999999", "-99999999999999999999",
        "1e7", "4.6e11", "00:00:60", "1:2:3:4", "P1D", "5s", "0x10", "1,5", "١٢", "00:00:00.0000001", "1E-300", "+5", "\t3\t",
    ];

    private static readonly string?[] Weights =
    [
        "1", "0", "2", "-1", "2147483647", "2147483648", "-2147483649", "1.5", "abc", "", " ", " 3 ", "1e3", "99999999999999999999999", "0x10", "+4", "١",
    ];

    private static readonly string?[] Flags = ["true", "false", "TRUE", " False ", "yes", "1", "0", "", "maybe"];

    private static readonly string?[] Strategies = ["Random", "RoundRobin", "LeastConnections", "Ordered", "random", "ORDERED", "3", "-1", "0", "Bogus", "", "Random,Ordered", "Random|Ordered", " Ordered "];

    private static readonly string[] ConnectionStringParts =
    [
        "Server=127.0.0.1", "Server=127.0.0.2", "Server=", "Port=9", "Port=-1", "Port=abc", "Port=70000",
        "Password=" + Secret, "pwd=" + Secret, "PASSWORD = " + Secret + " ", "Password='" + Secret, "Password=\"" + Secret + "\"", "Password=" + Secret + "'",
        "Password=" + Secret + ";Password=" + Secret, "Certificate Password=" + Secret, "=" + Secret, "Password", "Pass word=" + Secret,
        "User ID=app", "Database=app", "Connect Timeout=abc", "Connect Timeout=-1", "Connect Timeout=0", "Connect Timeout=99999999999", "Connection Timeout=3",
        "SslMode=Bogus", "Pooling=maybe", "Pooling=false", "Maximum Pool Size=0", "Minimum Pool Size=10;Maximum Pool Size=1", "Nonsense=1",
        ";;", "Persist Security Info=true", "Load Balance=Bogus", "Default Command Timeout=-5", "Server=127.0.0.1,127.0.0.2", "Application Name=" + Secret.Length,
        "Server=127.0.0.1;Port=9;Password=" + Secret, "\"", "'", "Password=a;b", "Server=127.0.0.1;Port=9;Password={" + Secret + "}",
    ];

    /// <summary>A configuration value: any of the pools above, or a connection string.</summary>
    private static readonly Gen<string?> AnyValue = Gen.Frequency(
        (3, Gen.OneOf(Intervals)),
        (2, Gen.OneOf(Weights)),
        (1, Gen.OneOf(Flags)),
        (1, Gen.OneOf(Strategies)),
        (4, ConnectionString()));

    /// <summary>One change: set a key, or remove it with everything under it (value <see langword="null"/>).</summary>
    private static readonly Gen<(string Key, string? Value)> Change = Gen.Frequency(
        (2, Gen.OneOf(SectionSettings).SelectMany(s => Gen.Frequency((6, ValueFor(s)), (1, Gen.Const<string?>((string?)null))).Select(v => ($"{Section}:{s}", v)))),
        (4, Gen.Select(Gen.OneOf(PeerKeys), Gen.OneOf(PeerSettings), (p, s) => (p, s)).SelectMany(ps => ValueFor(ps.s).Select(v => ($"{Section}:Peers:{ps.p}:{ps.s}", v)))),
        (1, Gen.OneOf(PeerKeys).Select(p => ($"{Section}:Peers:{p}", (string?)null))),
        (1, Gen.OneOf(PeerKeys).Select(AnyValue, (p, v) => ($"{Section}:Peers:{p}", v))));

    /// <summary>A configuration tree: the valid baseline (usually) with 0–6 hostile changes.</summary>
    public static Gen<Dictionary<string, string?>> Tree { get; } =
        Gen.Select(Gen.Int[0, 9], Change.Array[0, 6], (start, changes) => Build(start != 0, changes));

    public static Dictionary<string, string?> Valid() => new(StringComparer.OrdinalIgnoreCase)
    {
        [$"{Section}:ConnectionString"] = $"Database=app;User ID=app;Password={Secret}",
        [$"{Section}:Peers:Edge1:ConnectionString"] = "Server=127.0.0.1;Port=9",
        [$"{Section}:Peers:Edge2:ConnectionString"] = "Server=127.0.0.1;Port=9",
        [$"{Section}:Peers:proxysql-c:ConnectionString"] = "Server=127.0.0.2;Port=9",
    };

    public static string Print(Dictionary<string, string?> tree) =>
        string.Join("\n", tree.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"  {p.Key} = {(p.Value is null ? "(null)" : "\"" + p.Value + "\"")}"));

    private static Gen<string?> ConnectionString() =>
        Gen.OneOf(ConnectionStringParts).Array[1, 4].Select(parts => (string?)string.Join(";", parts));

    private static Gen<string?> ValueFor(string setting) => setting switch
    {
        "ConnectionString" => ConnectionString(),
        "CheckInterval" or "ConnectTimeout" or "HedgeDelay" or "ProbeInterval" or "checkinterval" => Gen.OneOf(Intervals),
        "Weight" or "weight" => Gen.OneOf(Weights),
        "Enabled" => Gen.OneOf(Flags),
        "Strategy" => Gen.OneOf(Strategies),
        "Password" => Gen.Const<string?>(Secret),
        _ => AnyValue,
    };

    private static Dictionary<string, string?> Build(bool fromValid, (string Key, string? Value)[] changes)
    {
        var tree = fromValid ? Valid() : new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                foreach (var existing in tree.Keys.Where(k => k.Equals(key, StringComparison.OrdinalIgnoreCase) || k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList())
                    tree.Remove(existing);
            }
            else
            {
                tree[key] = value;
            }
        }

        return tree;
    }
}
