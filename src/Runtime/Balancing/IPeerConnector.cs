using MySqlConnector;

namespace ProxySql.Balancing;

/// <summary>The I/O the balancer does on a peer; the real one is <see cref="MySqlPeerConnector"/>.</summary>
internal interface IPeerConnector
{
    /// <summary>A closed connection on the pool of <paramref name="connectionString"/>.</summary>
    MySqlConnection CreateConnection(string connectionString);

    /// <summary>Opens <paramref name="connection"/>.</summary>
    Task OpenAsync(MySqlConnection connection, CancellationToken cancellationToken);

    /// <summary>Opens a new unpooled connection, pings and closes it.</summary>
    Task ProbeAsync(string probeConnectionString, CancellationToken cancellationToken);

    /// <summary>Closes the idle sessions of a pool; sessions in use are discarded when returned.</summary>
    Task ClearPoolAsync(string connectionString);
}
