using System.Net.Sockets;
using MySqlConnector;

namespace ProxySql.Core;

/// <summary>Opens and probes with MySqlConnector.</summary>
internal sealed class MySqlPeerConnector : IPeerConnector
{
    public static readonly MySqlPeerConnector Instance = new();

    /// <summary>
    /// Without a cancellation token: a cancellable token makes MySqlConnector allocate a linked source on every open.
    /// The balancer enforces deadlines by not waiting; the driver's own Connect Timeout ends an abandoned attempt.
    /// </summary>
    public Task OpenAsync(MySqlConnection connection) => connection.OpenAsync(CancellationToken.None);

    public Task ConnectProbeAsync(MySqlConnection connection, CancellationToken cancellationToken) => connection.OpenAsync(cancellationToken);

    public async Task RunProbeStatementAsync(MySqlConnection session, string statement, CancellationToken cancellationToken)
    {
        // No driver timeout and no token: the prober enforces ProbeTimeout itself and abandons a held session. The
        // driver's own command-timeout cancel, firing later on a session closed meanwhile, throws from a timer
        // callback in MySqlConnector 2.6 (SocketException from Socket.RemoteEndPoint) and ends the process.
        var command = new MySqlCommand(statement, session) { CommandTimeout = 0 };
        await using (command.ConfigureAwait(false))
            await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async Task CheckListenerAsync(string connectionString, Func<MySqlConnection> fresh, CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        if (builder.ConnectionProtocol == MySqlConnectionProtocol.Sockets && !string.IsNullOrEmpty(builder.Server) && !builder.Server.Contains(',', StringComparison.Ordinal))
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(builder.Server, (int)builder.Port, cancellationToken).ConfigureAwait(false);
            return;
        }

        var connection = fresh();
        await using (connection.ConfigureAwait(false))
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> PingAsync(MySqlConnection session, CancellationToken cancellationToken) => session.PingAsync(cancellationToken);
}
