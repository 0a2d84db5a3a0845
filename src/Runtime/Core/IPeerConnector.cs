using MySqlConnector;

namespace ProxySql.Core;

/// <summary>The I/O the balancer does on a peer's data sources; the real one is <see cref="MySqlPeerConnector"/>.</summary>
internal interface IPeerConnector
{
    /// <summary>Opens <paramref name="connection"/>, created by a peer's pooled data source.</summary>
    Task OpenAsync(MySqlConnection connection);

    /// <summary>Opens <paramref name="connection"/>, a new unpooled probe connection.</summary>
    Task ConnectProbeAsync(MySqlConnection connection, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="statement"/> on an open probe session.</summary>
    Task RunProbeStatementAsync(MySqlConnection session, string statement, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the peer's listener accepts a new connection (a paused ProxySQL refuses it), without a MySQL session:
    /// a TCP connect and close. Falls back to opening <paramref name="fresh"/> when the endpoint is not one TCP host.
    /// </summary>
    Task CheckListenerAsync(string connectionString, Func<MySqlConnection> fresh, CancellationToken cancellationToken);

    /// <summary>COM_PING on an open probe session; ProxySQL answers it itself, so it proves the node process alive.</summary>
    Task<bool> PingAsync(MySqlConnection session, CancellationToken cancellationToken);
}
