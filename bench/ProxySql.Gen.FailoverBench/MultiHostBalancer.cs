using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>
/// MySqlConnector's own multi-host mode: <c>Server=a,b,c;LoadBalance=Random</c>, one pool for all hosts, its
/// default connect timeout (15 s) spent across the hosts of one open.
/// </summary>
internal sealed class MultiHostBalancer(string sharedConnectionString, int port) : IBalancer
{
    private readonly string connectionString = new MySqlConnectionStringBuilder(sharedConnectionString)
    {
        Server = string.Join(',', PeerSet.Addresses.Select(a => a.ToString())),
        Port = (uint)port,
        LoadBalance = MySqlLoadBalance.Random,
    }.ConnectionString;

    public string Name => "MySqlConnector multi-host";

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
