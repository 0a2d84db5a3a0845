using System.Data.Common;
using MySqlConnector;
using ProxySql.Core;

namespace ProxySql;

/// <summary>
/// A <see cref="DbDataSource"/> whose opened connections come from the balancer, for ADO.NET consumers (Dapper, EF).
/// </summary>
/// <remarks>
/// <see cref="DbDataSource.OpenConnection"/> and <see cref="DbDataSource.OpenConnectionAsync"/> fail over like
/// <see cref="ProxySqlDatabases.OpenConnectionAsync"/>. <see cref="DbDataSource.CreateConnection"/> must return a
/// closed connection, so it is bound to the peer the strategy picks at that moment and cannot fail over.
/// </remarks>
internal sealed class BalancerDataSource(Balancer balancer) : DbDataSource
{
    public override string ConnectionString => balancer.Settings.RedactedConnectionString;

    protected override DbConnection CreateDbConnection()
    {
        var peer = balancer.Select(0) ?? throw new ProxySqlUnavailableException(balancer.DescribePeers());
        return peer.Pool.CreateConnection();
    }

    protected override DbConnection OpenDbConnection() =>
        balancer.OpenConnectionAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
}
