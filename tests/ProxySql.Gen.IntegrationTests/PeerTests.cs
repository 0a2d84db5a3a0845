using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.IntegrationTests;

/// <summary>A peer's own view: connections in use, pinned opens, which peer a connection belongs to.</summary>
public sealed class PeerTests
{
    [Fact]
    public async Task Connections_in_use_count_connections_handed_out_until_they_close()
    {
        await using var rig = await PeerRig.StartAsync();
        rig.Values["ProxySql:ConnectTimeout"] = "5"; // a busy 2-core machine must not turn a slow handshake into a timeout here
        await using var databases = await rig.CreateDatabasesAsync();
        var first = await databases.Edge2.OpenConnectionAsync();
        var second = await databases.Edge2.OpenConnectionAsync();
        var third = await databases.Edge2.OpenConnectionAsync();
        Assert.Equal(3, databases.Edge2.ConnectionsInUse);
        Assert.Equal(0, databases.Edge1.ConnectionsInUse);
        Assert.Equal(rig.Relays[1].Port, (int)new MySqlConnectionStringBuilder(first.ConnectionString).Port);
        Assert.Same(databases.Edge2, databases.PeerOf(first));

        await first.DisposeAsync();
        await second.CloseAsync();
        Assert.Equal(1, databases.Edge2.ConnectionsInUse);

        // Reopening a closed connection bypasses the balancer and is not counted again.
        await second.OpenAsync();
        await second.DisposeAsync();
        await third.DisposeAsync();
        Assert.Equal(0, databases.Edge2.ConnectionsInUse);
    }

    [Fact]
    public async Task Pinned_open_on_a_killed_peer_throws_the_drivers_error_and_marks_the_peer_down()
    {
        await using var rig = await PeerRig.StartAsync();
        rig.Values["ProxySql:ConnectTimeout"] = "5"; // a busy 2-core machine must not turn a slow handshake into a timeout here
        await using var databases = await rig.CreateDatabasesAsync();
        rig.Relays[2].Mode = RelayMode.Killed;
        await Assert.ThrowsAsync<MySqlException>(async () => await databases.Edge3.OpenConnectionAsync());
        Assert.Equal(ProxySqlPeerState.Down, databases.Edge3.State);

        // The balanced open is not affected.
        await using var connection = await databases.OpenConnectionAsync();
        Assert.NotEqual(rig.Relays[2].Port, (int)new MySqlConnectionStringBuilder(connection.ConnectionString).Port);
    }

    [Fact]
    public async Task PeerOf_names_the_peer_whose_relay_carries_the_connection_and_no_peer_for_another_endpoint()
    {
        await using var rig = await PeerRig.StartAsync();
        await using var databases = await rig.CreateDatabasesAsync();
        for (var i = 0; i < 30; i++)
        {
            await using var connection = await databases.OpenConnectionAsync();
            var port = (int)new MySqlConnectionStringBuilder(connection.ConnectionString).Port;
            Assert.Same(databases.Peers[rig.Relays.Select(r => r.Port).ToList().IndexOf(port)], databases.PeerOf(connection));
        }

        await using var direct = new MySqlConnection(rig.Server.ConnectionString);
        Assert.Null(databases.PeerOf(direct));
    }
}
