using Microsoft.Extensions.Configuration;

namespace ProxySql.EfBench;

/// <summary>Three peers, written by hand as the generator would emit them.</summary>
internal sealed class BenchDatabases(IConfiguration configuration)
    : ProxySqlDatabases(CreateContext(configuration, "ProxySql", s_peers, new ProxySqlDefaults(), loggerFactory: null, timeProvider: null))
{
    private static readonly ProxySqlPeerDefinition[] s_peers = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "Edge3")];
}

/// <summary>One peer, for the attribution of what three pools on one MariaDB cost against one.</summary>
internal sealed class OnePeerBenchDatabases(IConfiguration configuration)
    : ProxySqlDatabases(CreateContext(configuration, "ProxySql", s_peers, new ProxySqlDefaults(), loggerFactory: null, timeProvider: null))
{
    private static readonly ProxySqlPeerDefinition[] s_peers = [new("Edge1", "Edge1")];
}
