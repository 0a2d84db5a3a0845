using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// Three <see cref="FleetNode"/>s in front of the shared MariaDB and the configuration of a <see cref="NodeDatabases"/>
/// over them, with short timings so every scenario takes seconds: CheckInterval 1 s, ProbeInterval 0.5 s,
/// ConnectTimeout 2 s, HedgeDelay 100 ms, command timeout 10 s.
/// </summary>
internal sealed class Fleet : IAsyncDisposable
{
    public const int Workers = 16;
    public static readonly string[] Keys = ["Node1", "Node2", "Node3"];
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan HedgeDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The library default (not configurable yet): how long a probe statement may take.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly ProxySqlCluster? _cluster;

    private Fleet(RigKind kind, MariaDbServer server, ProxySqlCluster? cluster, FleetNode[] nodes, FleetOptions options)
    {
        Kind = kind;
        Server = server;
        _cluster = cluster;
        Nodes = nodes;
        Options = options;
        RunTag = "pxt-" + Guid.NewGuid().ToString("N")[..10];
        Values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database=app;User ID=app;Password={server.AppPassword};Default Command Timeout=10;SslMode={(options.Tls ? "Required" : "None")}",
            ["ProxySql:CheckInterval"] = CheckInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["ProxySql:ConnectTimeout"] = ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["ProxySql:HedgeDelay"] = HedgeDelay.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["ProxySql:ProbeInterval"] = ProbeInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < nodes.Length; i++)
            Values[$"ProxySql:Peers:{Keys[i]}:ConnectionString"] = $"Server=127.0.0.1;Port={nodes[i].Port};Application Name={RunTag}-{Keys[i]}";
    }

    public RigKind Kind { get; }

    public MariaDbServer Server { get; }

    public IReadOnlyList<FleetNode> Nodes { get; }

    public FleetOptions Options { get; }

    /// <summary>Unique to this fleet; part of every pool name.</summary>
    public string RunTag { get; }

    /// <summary>The balancer's configuration; change it before <see cref="CreateDatabases"/>.</summary>
    public Dictionary<string, string?> Values { get; }

    public static async Task<Fleet> StartAsync(RigKind kind, FleetOptions? options = null)
    {
        options ??= new FleetOptions();
        var server = await SharedMariaDb.GetAsync();
        if (kind == RigKind.Relay)
        {
            if (options.Tls)
                throw new ArgumentException("the relay rig has no TLS on the client leg (MariaDB runs with --skip-ssl)", nameof(options));
            return new Fleet(kind, server, null, [.. Keys.Select(k => new FleetNode(k, null, FaultRelay.Start(server.EndPoint)))], options);
        }

        var cluster = await ProxySqlCluster.StartAsync(
            Keys.Length,
            server,
            new ProxySqlNodeOptions { HaveSsl = options.Tls, ConnectTimeoutServerMax = options.ConnectTimeoutServerMax });
        var nodes = cluster.Nodes.Select((n, i) => new FleetNode(Keys[i], n, options.RelayInFrontOf == i ? FaultRelay.Start(n.EndPoint) : null)).ToArray();
        return new Fleet(kind, server, cluster, nodes, options);
    }

    public NodeDatabases CreateDatabases(ILoggerFactory? loggerFactory = null) =>
        NodeDatabases.Create(new ConfigurationBuilder().AddInMemoryCollection(Values).Build(), loggerFactory);

    /// <summary>The shared workload harness over <paramref name="databases"/>: open → <c>SELECT 1</c> → close.</summary>
    public Workload NewWorkload(NodeDatabases databases) =>
        Workload.For(databases, () => Describe(databases));

    public string Describe(NodeDatabases databases) =>
        string.Join(
            "; ",
            databases.Peers.Select((p, i) => string.Create(
                CultureInfo.InvariantCulture,
                $"{p.Name} {p.State}/{p.StateReason} inUse={p.ConnectionsInUse} lastError={p.LastError} [{Nodes[i]}]")));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            if (node.Relay is not null)
                await node.Relay.DisposeAsync();
        }

        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }
}
