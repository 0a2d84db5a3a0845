using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>
/// A balancer that is nothing but one MySqlConnector connection string and its single pool: the plain baseline,
/// and MySqlConnector's own multi-host mode (which balances inside the driver).
/// </summary>
internal sealed class ConnectionStringBalancer(string name, string connectionString) : IBalancer
{
    public string Name => name;

    public IReadOnlyList<ProxySqlPeer>? Peers => null;

    /// <summary>
    /// MySqlConnector's own multi-host mode: <c>Server=a,b,c;LoadBalance=Random</c>, one pool for all hosts, its
    /// default connect timeout (15 s) spent across the hosts of one open.
    /// </summary>
    public static ConnectionStringBalancer MultiHost(string sharedConnectionString, int port) => new(
        "MySqlConnector multi-host",
        new MySqlConnectionStringBuilder(sharedConnectionString)
        {
            Server = string.Join(',', PeerSet.Addresses.Select(a => a.ToString())),
            Port = (uint)port,
            LoadBalance = MySqlLoadBalance.Random,
        }.ConnectionString);

    /// <summary>
    /// No balancing: one connection string to the first peer (127.0.0.2), which is never the faulted one, so this is
    /// the throughput and latency reference of the run.
    /// </summary>
    public static ConnectionStringBalancer Plain(string sharedConnectionString, int port) => new(
        "plain (one peer)",
        new MySqlConnectionStringBuilder(sharedConnectionString) { Server = PeerSet.Host(0), Port = (uint)port }.ConnectionString);

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
