using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>
/// No balancing: one connection string to the first peer (127.0.0.2), which is never the faulted one, so this is
/// the throughput and latency reference of the run.
/// </summary>
internal sealed class PlainBalancer(string sharedConnectionString, int port) : IBalancer
{
    private readonly string connectionString = new MySqlConnectionStringBuilder(sharedConnectionString)
    {
        Server = PeerSet.Host(0),
        Port = (uint)port,
    }.ConnectionString;

    public string Name => "plain (one peer)";

    public async ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        using var connection = new MySqlConnection(connectionString);
        return new ValueTask(MySqlConnection.ClearPoolAsync(connection));
    }
}
