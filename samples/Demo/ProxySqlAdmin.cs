using System.Globalization;
using System.Net;
using MySqlConnector;

namespace ProxySql.Demo;

/// <summary>
/// The admin interface of one ProxySQL node (MySQL protocol on its admin port, user <c>admin</c>, accepted from
/// 127.0.0.1 only): the verbs the demo's scenario uses and the figures its live view shows. One unpooled
/// connection per call, so a node that was just restarted is never asked on a dead session.
/// </summary>
internal sealed class ProxySqlAdmin(IPEndPoint endPoint, string user, string password)
{
    private readonly string _connectionString = new MySqlConnectionStringBuilder
    {
        Server = endPoint.Address.ToString(),
        Port = (uint)endPoint.Port,
        UserID = user,
        Password = password,
        Pooling = false,
        ConnectionTimeout = 2,
        // PROXYSQL PAUSE takes 1-2 s to return under load
        DefaultCommandTimeout = 15,
    }.ConnectionString;

    public IPEndPoint EndPoint { get; } = endPoint;

    /// <summary>Runs one admin command; returns <see langword="null"/> on success, else ProxySQL's error text.</summary>
    public async Task<string?> ExecuteAsync(string command, CancellationToken cancellationToken)
    {
        try
        {
            var connection = new MySqlConnection(_connectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using var sql = new MySqlCommand(command, connection);
                await sql.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
        catch (MySqlException ex) when (ex.ErrorCode != MySqlErrorCode.UnableToConnectToHost)
        {
            // the node answered, and refused: e.g. RESUME on a node that is not paused
            const string Prefix = "ProxySQL Admin Error: ";
            return ex.Message.StartsWith(Prefix, StringComparison.Ordinal) ? ex.Message[Prefix.Length..] : ex.Message;
        }
    }

    /// <summary>
    /// <c>Client_Connections_connected</c> and <c>mysql_listener_paused</c> from <c>stats_mysql_global</c>: the
    /// sessions the node holds (the drain signal) and whether its listener is paused.
    /// </summary>
    public async Task<(int Sessions, bool ListenerPaused)> ReadStatsAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var sql = new MySqlCommand(
                "SELECT Variable_Name, Variable_Value FROM stats_mysql_global WHERE Variable_Name IN ('Client_Connections_connected', 'mysql_listener_paused')",
                connection);
            var reader = await sql.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                int? sessions = null;
                bool? paused = null;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var value = reader.GetString(1);
                    switch (reader.GetString(0))
                    {
                        case "Client_Connections_connected":
                            sessions = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
                            break;
                        case "mysql_listener_paused":
                            paused = string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
                            break;
                    }
                }

                return sessions is { } s && paused is { } p
                    ? (s, p)
                    : throw new InvalidOperationException($"ProxySQL admin {EndPoint}: stats_mysql_global has no Client_Connections_connected or mysql_listener_paused.");
            }
        }
    }
}
