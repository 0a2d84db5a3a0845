using Microsoft.Extensions.Configuration;

namespace ProxySql.Benchmarks;

/// <summary>What the generator emits for three peers, written by hand so the benchmarks do not depend on it.</summary>
internal sealed class BenchDatabases : ProxySqlDatabases
{
    private static readonly ProxySqlPeerDefinition[] Definitions = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "Edge3")];

    public BenchDatabases(IConfiguration configuration)
        : base(CreateContext(configuration, "ProxySql", Definitions, new ProxySqlDefaults(), loggerFactory: null, timeProvider: null))
    {
    }

    public ProxySqlPeer Edge1 => PeerAt(0);

    /// <summary>Three peers with the given connection strings and strategy; everything else at the library defaults.</summary>
    public static BenchDatabases Create(string sharedConnectionString, IReadOnlyList<string> peerConnectionStrings, ProxySqlStrategy strategy)
    {
        var values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = sharedConnectionString,
            ["ProxySql:Strategy"] = strategy.ToString(),
        };
        for (int i = 0; i < peerConnectionStrings.Count; i++)
        {
            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = peerConnectionStrings[i];
        }

        return new BenchDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }
}
