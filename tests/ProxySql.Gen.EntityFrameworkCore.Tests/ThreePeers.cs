using Microsoft.Extensions.Configuration;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>What the generator emits for three peers, written by hand so these tests do not depend on it.</summary>
internal sealed class ThreePeers : ProxySqlDatabases
{
    private static readonly ProxySqlPeerDefinition[] s_peers = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "Edge3")];

    public ThreePeers(IConfiguration configuration)
        : base(CreateContext(configuration, "ProxySql", s_peers, new ProxySqlDefaults(), loggerFactory: null, timeProvider: null))
    {
    }

    public ProxySqlPeer Edge1 => PeerAt(0);

    public ProxySqlPeer Edge2 => PeerAt(1);

    public ProxySqlPeer Edge3 => PeerAt(2);

    public int InUse => Peers.Sum(p => p.ConnectionsInUse);
}
