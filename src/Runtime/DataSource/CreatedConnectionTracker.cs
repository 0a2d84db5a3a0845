using ProxySql.Core;
using System.Data;
using MySqlConnector;

namespace ProxySql.DataSource;

/// <summary>
/// Counts a connection from <c>DataSource.CreateConnection()</c> in its peer's <see cref="ProxySqlPeer.ConnectionsInUse"/>
/// each time it opens, until it closes, like a connection the balancer hands out.
/// </summary>
internal sealed class CreatedConnectionTracker
{
    private readonly ProxySqlPeer _peer;

    private CreatedConnectionTracker(ProxySqlPeer peer) => _peer = peer;

    public static void Attach(ProxySqlPeer peer, MySqlConnection connection) =>
        connection.StateChange += new CreatedConnectionTracker(peer).OnStateChange;

    private void OnStateChange(object sender, StateChangeEventArgs e)
    {
        // The peer's own handler counts the close and unsubscribes itself, so a reopen is counted afresh.
        if (e.CurrentState == ConnectionState.Open && e.OriginalState != ConnectionState.Open)
            _peer.TrackInUse((MySqlConnection)sender);
    }
}
