using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ProxySql.IntegrationTests;

/// <summary>What the generator emits for three peers, written by hand so these tests do not depend on it.</summary>
internal sealed class ThreePeers : ProxySqlDatabases
{
    private static readonly ProxySqlPeerDefinition[] s_peers = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "Edge3")];

    public ThreePeers(IConfiguration configuration, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : base(CreateContext(configuration, "ProxySql", s_peers, new ProxySqlDefaults(), loggerFactory, timeProvider))
    {
    }

    public ProxySqlPeer Edge1 => PeerAt(0);

    public ProxySqlPeer Edge2 => PeerAt(1);

    public ProxySqlPeer Edge3 => PeerAt(2);
}
