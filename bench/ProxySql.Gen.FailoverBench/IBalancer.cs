using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>One way of getting an open connection over the three peers; what the workers call.</summary>
internal interface IBalancer : IAsyncDisposable
{
    /// <summary>Short name for the tables.</summary>
    string Name { get; }

    /// <summary>The balancer's own view of the peers (state, sessions in use), or <see langword="null"/> when it has none.</summary>
    IReadOnlyList<ProxySqlPeer>? Peers { get; }

    /// <summary>Opens a connection (pooled, as the balancer does it).</summary>
    ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken);
}
