using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>One way of getting an open connection over the three peers; what the workers call.</summary>
internal interface IBalancer : IAsyncDisposable
{
    /// <summary>Short name for the tables.</summary>
    string Name { get; }

    /// <summary>Opens a connection (pooled, as the balancer does it).</summary>
    ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken);
}
