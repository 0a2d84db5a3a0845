using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ProxySql.Testing;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>
/// Three stand-ins for ProxySQL nodes in front of MariaDB — relays, or real proxysql nodes (one optionally behind a relay,
/// so that it can be blackholed) — the balancer's configuration over them, and EF Core options.
/// </summary>
internal sealed class EfRig : IAsyncDisposable
{
    private static int s_databases;
    private readonly ProxySqlCluster? _cluster;

    private EfRig(RigKind kind, MariaDbServer server, ProxySqlCluster? cluster, FleetNode[] nodes, string database, string strategy)
    {
        Kind = kind;
        Server = server;
        _cluster = cluster;
        Nodes = nodes;
        Database = database;
        Values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database={database};User ID=app;Password={server.AppPassword};Default Command Timeout=5;SslMode=None",
            ["ProxySql:Strategy"] = strategy,
            // On 2 cores shared with other builds a healthy peer's open can outlive a short connect timeout and mark it
            // Down: a generous timeout and a 1 s check interval let such a peer serve again at once instead of in 30 s.
            ["ProxySql:CheckInterval"] = "1",
            ["ProxySql:ConnectTimeout"] = "5",
            ["ProxySql:HedgeDelay"] = "0.1",
            ["ProxySql:ProbeInterval"] = "3600",
        };
        for (var i = 0; i < nodes.Length; i++)
            Values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server=127.0.0.1;Port={nodes[i].Port.ToString(CultureInfo.InvariantCulture)}";
    }

    public RigKind Kind { get; }

    public MariaDbServer Server { get; }

    /// <summary>What Edge1..Edge3 connect to, with the verbs of a crash or an operator.</summary>
    public IReadOnlyList<FleetNode> Nodes { get; }

    /// <summary>The relays of the relay rig (every peer has one).</summary>
    public IReadOnlyList<FaultRelay> Relays => [.. Nodes.Select(n => n.Relay ?? throw new InvalidOperationException($"{n.Key} is a ProxySQL node without a relay in front of it"))];

    public Dictionary<string, string?> Values { get; }

    /// <summary>A database of this rig's own (ef_…), which the app user may create and drop.</summary>
    public string Database { get; }

    public static ServerVersion Version { get; } = ServerVersion.Parse("10.11.0-mariadb");

    /// <summary>Relays in front of MariaDB.</summary>
    public static Task<EfRig> StartAsync(string strategy = "Random") => StartAsync(RigKind.Relay, relayInFrontOf: null, strategy);

    /// <summary>
    /// Relays in front of MariaDB, or three real proxysql nodes (PROXYSQL_BIN) with a relay in front of node
    /// <paramref name="relayInFrontOf"/> if given.
    /// </summary>
    public static async Task<EfRig> StartAsync(RigKind kind, int? relayInFrontOf = null, string strategy = "Random")
    {
        var server = await SharedMariaDb.GetAsync();
        foreach (var host in new[] { "%", "127.0.0.1" })
            await server.ExecuteRootAsync($"GRANT ALL PRIVILEGES ON `ef\\_%`.* TO 'app'@'{host}'");
        var database = $"ef_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        if (kind == RigKind.Relay)
            return new EfRig(kind, server, null, [.. Enumerable.Range(1, 3).Select(i => new FleetNode($"Edge{i}", null, FaultRelay.Start(server.EndPoint)))], database, strategy);

        // A backend loss shows in 3 s instead of ProxySQL's 10.
        var cluster = await ProxySqlCluster.StartAsync(3, server, new ProxySqlNodeOptions { ConnectTimeoutServerMax = TimeSpan.FromSeconds(3) });
        var nodes = cluster.Nodes.Select((n, i) => new FleetNode($"Edge{i + 1}", n, relayInFrontOf == i ? FaultRelay.Start(n.EndPoint) : null)).ToArray();
        return new EfRig(kind, server, cluster, nodes, database, strategy);
    }

    public ThreePeers CreateDatabases() => new(BuildConfiguration());

    public IConfigurationRoot BuildConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(Values).Build();

    public static DbContextOptions<ShopContext> Options(ThreePeers databases, Action<Microsoft.EntityFrameworkCore.Infrastructure.MySqlDbContextOptionsBuilder>? mySql = null, Action<DbContextOptionsBuilder<ShopContext>>? more = null)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>().UseProxySql(databases, Version, mySql);
        more?.Invoke(builder);
        return builder.Options;
    }

    /// <summary>Creates the rig's database and schema through the balancer.</summary>
    public static async Task CreateSchemaAsync(ThreePeers databases)
    {
        await using var context = new ShopContext(Options(databases));
        await context.Database.EnsureDeletedAsync();
        await context.Database.EnsureCreatedAsync();
    }

    public string Describe(ThreePeers databases) =>
        string.Join("; ", databases.Peers.Select((p, i) => $"{p.Name} {p.State}/{p.StateReason} inUse={p.ConnectionsInUse} [{Nodes[i]}] open err={p.LastError}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            if (node.Relay is not null)
                await node.Relay.DisposeAsync();
        }

        if (_cluster is not null)
            await _cluster.DisposeAsync();
        await Server.ExecuteRootAsync($"DROP DATABASE IF EXISTS `{Database}`");
    }
}
