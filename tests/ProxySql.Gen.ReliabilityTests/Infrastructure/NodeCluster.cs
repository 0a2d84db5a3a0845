using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Three real ProxySQL nodes in front of one MariaDB server, each with a <see cref="NodeTimeline"/>, and the
/// configuration of a <see cref="ChaosDatabases"/> over them: the settings of <see cref="RelayCluster"/>, so the two
/// chaos runs differ only in what stands for the nodes. Every peer's connection string carries a run tag.
/// </summary>
internal sealed class NodeCluster : IAsyncDisposable
{
    private readonly ProxySqlCluster _cluster;

    private NodeCluster(MariaDbServer server, ProxySqlCluster cluster)
    {
        Server = server;
        _cluster = cluster;
        Peers = [.. cluster.Nodes.Select(n => new NodeTimeline(n))];
        RunTag = "reln-" + Guid.NewGuid().ToString("N")[..10];
        Values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database=app;User ID=app;Password={server.AppPassword};Default Command Timeout=10;SslMode=None",
            ["ProxySql:Strategy"] = "Random",
            ["ProxySql:CheckInterval"] = "1",
            ["ProxySql:ConnectTimeout"] = "3",
            ["ProxySql:HedgeDelay"] = "0.1",
            ["ProxySql:ProbeInterval"] = "0.5",
        };
        for (var i = 0; i < Peers.Count; i++)
            Values[$"ProxySql:Peers:{RelayCluster.Keys[i]}:ConnectionString"] = $"Server=127.0.0.1;Port={Peers[i].Node.Port};Application Name={RunTag}-{RelayCluster.Keys[i]}";
    }

    public MariaDbServer Server { get; }

    public IReadOnlyList<NodeTimeline> Peers { get; }

    public string RunTag { get; }

    public Dictionary<string, string?> Values { get; }

    /// <summary>Starts three nodes; a statement on a node without backends fails 9001 after <paramref name="connectTimeoutServerMax"/>.</summary>
    public static async Task<NodeCluster> StartAsync(MariaDbServer server, TimeSpan connectTimeoutServerMax) =>
        new(server, await ProxySqlCluster.StartAsync(RelayCluster.Keys.Length, server, new ProxySqlNodeOptions { ConnectTimeoutServerMax = connectTimeoutServerMax }));

    public ChaosDatabases CreateDatabases(ILoggerFactory? loggerFactory = null) =>
        ChaosDatabases.Create(new ConfigurationBuilder().AddInMemoryCollection(Values).Build(), loggerFactory, null);

    public Workload NewWorkload(ChaosDatabases databases) =>
        ChaosWorkload.Create(databases, () => Describe(databases));

    /// <summary>Client sessions on every node (<c>Client_Connections_connected</c>), summed.</summary>
    public async Task<long> ClientSessionsAsync() => (await Task.WhenAll(Peers.Select(p => p.Node.ClientConnectionsAsync()))).Sum();

    public string Describe(ChaosDatabases databases) =>
        string.Join(
            "; ",
            databases.Peers.Select((p, i) => string.Create(
                CultureInfo.InvariantCulture,
                $"{p.Name} {p.State}/{p.StateReason} inUse={p.ConnectionsInUse} node={Peers[i].Current} pid {Peers[i].Node.Pid} lastError={p.LastError}")));

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
