using System.Collections.Concurrent;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.IntegrationTests;

/// <summary>
/// The shared <see cref="Workload"/> (tests/ProxySql.Gen.Testing) over <see cref="ThreePeers"/> and a <see cref="PeerRig"/>:
/// open → <c>SELECT 1</c> → close, each served open counted for the peer whose port the connection uses.
/// </summary>
internal static class RigWorkload
{
    public static Workload Create(ThreePeers databases, PeerRig rig)
    {
        int[] relayPorts = [.. rig.Relays.Select(r => r.Port)];
        var peerByConnectionString = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        return new Workload(
            databases.OpenConnectionAsync,
            connection => peerByConnectionString.GetOrAdd(connection.ConnectionString, _ => PeerOf(databases, relayPorts, connection)),
            relayPorts.Length,
            () => rig.Describe(databases));
    }

    /// <summary>The peer whose port the connection uses (a reload may have moved a peer to a new port).</summary>
    private static int PeerOf(ThreePeers databases, int[] relayPorts, MySqlConnection connection)
    {
        var port = new MySqlConnectionStringBuilder(connection.ConnectionString).Port;
        for (var i = 0; i < databases.Peers.Count; i++)
        {
            if (new MySqlConnectionStringBuilder(databases.Peers[i].Settings.ConnectionString).Port == port)
                return i;
        }

        return Array.IndexOf(relayPorts, (int)port);
    }
}
