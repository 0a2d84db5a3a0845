using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ProxySql.Testing;

namespace ProxySql.IntegrationTests;

/// <summary>Three relays (the stand-ins for ProxySQL nodes) in front of MariaDB, and the balancer over them.</summary>
internal sealed class PeerRig : IAsyncDisposable
{
    private PeerRig(MariaDbServer server, FaultRelay[] relays, Dictionary<string, string?> values)
    {
        Server = server;
        Relays = relays;
        Values = values;
    }

    public MariaDbServer Server { get; }

    public IReadOnlyList<FaultRelay> Relays { get; }

    /// <summary>The configuration; change it before <see cref="CreateDatabases"/>.</summary>
    public Dictionary<string, string?> Values { get; }

    public static async Task<PeerRig> StartAsync(string strategy = "Random", MariaDbServer? server = null, int[]? weights = null)
    {
        server ??= await SharedMariaDb.GetAsync();
        var relays = new FaultRelay[3];
        for (var i = 0; i < relays.Length; i++)
            relays[i] = FaultRelay.Start(server.EndPoint);
        var values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database=app;User ID=app;Password={server.AppPassword};Default Command Timeout=5",
            ["ProxySql:Strategy"] = strategy,
            ["ProxySql:CheckInterval"] = "30",
            ["ProxySql:ConnectTimeout"] = "2",
            ["ProxySql:HedgeDelay"] = "0.1",
            ["ProxySql:ProbeInterval"] = "3600",
        };
        for (var i = 0; i < relays.Length; i++)
        {
            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server=127.0.0.1;Port={relays[i].Port}";
            values[$"ProxySql:Peers:Edge{i + 1}:Weight"] = (weights?[i] ?? 1).ToString(CultureInfo.InvariantCulture);
        }

        return new PeerRig(server, relays, values);
    }

    public IConfigurationRoot BuildConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(Values).Build();

    /// <summary>The balancer over the relays, once the check every peer gets at start has settled.</summary>
    public Task<ThreePeers> CreateDatabasesAsync(ILoggerFactory? loggerFactory = null) => CreateDatabasesAsync(BuildConfiguration(), loggerFactory);

    /// <summary>
    /// The balancer over <paramref name="configuration"/>, once the check every peer gets at start has settled: that
    /// check runs on the thread pool, and a fault a test scripts while it is under way would race it (a peer marked
    /// Down by the probe before the test's first caller reaches it).
    /// </summary>
    public async Task<ThreePeers> CreateDatabasesAsync(IConfigurationRoot configuration, ILoggerFactory? loggerFactory = null)
    {
        var databases = new ThreePeers(configuration, loggerFactory);
        var prober = databases.Balancer.Prober;
        try
        {
            await Eventually.TrueAsync(
                () => !databases.Peers.Any(p => p.State == ProxySqlPeerState.Unknown) && !prober.RoundRunning,
                TimeSpan.FromSeconds(10),
                () => "the first check of every peer: " + Describe(databases));
        }
        catch
        {
            await databases.DisposeAsync();
            throw;
        }

        return databases;
    }

    /// <summary>The shared workload harness over <paramref name="databases"/>: open → <c>SELECT 1</c> → close.</summary>
    public Workload NewWorkload(ThreePeers databases) => Workload.For(databases, () => Describe(databases));

    public string Describe(ThreePeers databases) =>
        string.Join("; ", databases.Peers.Select((p, i) => $"{p.Name} {p.State} inUse={p.ConnectionsInUse} relay={Relays[i].Mode}/{Relays[i].OpenSessions} open/{Relays[i].TotalSessions} total err={p.LastError}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in Relays)
            await relay.DisposeAsync();
    }
}
