using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Three relays (stand-ins for ProxySQL nodes) in front of MariaDB server(s), each with a <see cref="ModeTimeline"/>,
/// and the configuration of a <see cref="ChaosDatabases"/> over them. Every peer's connection string carries a run
/// tag (Application Name) so its pool is this run's alone.
/// </summary>
internal sealed class RelayCluster : IAsyncDisposable
{
    public static readonly string[] Keys = ["Edge1", "Edge2", "proxysql-c"];

    private RelayCluster(MariaDbServer[] servers, ModeTimeline[] peers, string runTag, Dictionary<string, string?> values)
    {
        Servers = servers;
        Peers = peers;
        RunTag = runTag;
        Values = values;
    }

    /// <summary>The server behind each peer, in peer order.</summary>
    public IReadOnlyList<MariaDbServer> Servers { get; }

    public IReadOnlyList<ModeTimeline> Peers { get; }

    /// <summary>Unique to this cluster; part of every pool name.</summary>
    public string RunTag { get; }

    /// <summary>The configuration; change it before <see cref="CreateDatabases"/>.</summary>
    public Dictionary<string, string?> Values { get; }

    /// <summary>Starts one relay per server in <paramref name="servers"/> (3 of them).</summary>
    public static RelayCluster Start(params MariaDbServer[] servers) => Start(MariaDbServer.AppUser, servers);

    /// <summary>Starts one relay per server, the peers logging in as <paramref name="user"/> (see <see cref="ServerSessions.CreateUserAsync"/>).</summary>
    public static RelayCluster Start(string user, params MariaDbServer[] servers)
    {
        if (servers.Length != Keys.Length)
            throw new ArgumentException($"need {Keys.Length} servers, one per peer (the same one may repeat)", nameof(servers));
        var runTag = "rel-" + Guid.NewGuid().ToString("N")[..10];
        var peers = servers.Select(s => new ModeTimeline(FaultRelay.Start(s.EndPoint))).ToArray();
        var values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database=app;User ID={user};Password={servers[0].AppPassword};Default Command Timeout=10",
            ["ProxySql:Strategy"] = "Random",
            ["ProxySql:CheckInterval"] = "1",
            ["ProxySql:ConnectTimeout"] = "3", // generous: the CI machine has 2 cores shared with every other test
            ["ProxySql:HedgeDelay"] = "0.1",
            ["ProxySql:ProbeInterval"] = "0.5",
        };
        for (var i = 0; i < peers.Length; i++)
        {
            values[$"ProxySql:Peers:{Keys[i]}:ConnectionString"] =
                $"Server=127.0.0.1;Port={peers[i].Relay.Port};Password={servers[i].AppPassword};Application Name={runTag}-{Keys[i]}";
        }

        return new RelayCluster(servers, peers, runTag, values);
    }

    public IConfigurationRoot BuildConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(Values).Build();

    public ChaosDatabases CreateDatabases(ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
        ChaosDatabases.Create(BuildConfiguration(), loggerFactory, timeProvider);

    public string Describe(ChaosDatabases databases) =>
        string.Join(
            "; ",
            databases.Peers.Select((p, i) => string.Create(
                CultureInfo.InvariantCulture,
                $"{p.Name} {p.State} inUse={p.ConnectionsInUse} relay={Peers[i].Current}/{Peers[i].Relay.OpenSessions} open/{Peers[i].Relay.TotalSessions} total lastError={p.LastError}")));

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in Peers)
            await peer.Relay.DisposeAsync();
    }
}
