using MySqlConnector;

namespace ProxySql.Balancing;

/// <summary>Opens, probes and clears pools with MySqlConnector.</summary>
internal sealed class MySqlPeerConnector : IPeerConnector
{
    public static readonly MySqlPeerConnector Instance = new();

    public MySqlConnection CreateConnection(string connectionString) => new(connectionString);

    public Task OpenAsync(MySqlConnection connection, CancellationToken cancellationToken) => connection.OpenAsync(cancellationToken);

    public async Task ProbeAsync(string probeConnectionString, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(probeConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!await connection.PingAsync(cancellationToken).ConfigureAwait(false))
                throw new IOException("The probe's ping got no answer.");
        }
    }

    public async Task ClearPoolAsync(string connectionString)
    {
        var connection = new MySqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
            await MySqlConnection.ClearPoolAsync(connection).ConfigureAwait(false);
    }
}
