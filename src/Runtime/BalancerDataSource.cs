using System.Data.Common;
using System.Diagnostics;
using MySqlConnector;
using ProxySql.Core;
using ProxySql.DataSource;

namespace ProxySql;

/// <summary>
/// The <see cref="DbDataSource"/> behind <see cref="ProxySqlDatabases.DataSource"/>, for ADO.NET consumers (Dapper, raw
/// commands and batches).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="DbDataSource.OpenConnection"/> and <see cref="DbDataSource.OpenConnectionAsync"/> fail over like
/// <see cref="ProxySqlDatabases.OpenConnectionAsync"/>.</item>
/// <item><see cref="DbDataSource.CreateCommand"/> and <see cref="DbDataSource.CreateBatch"/> open through the balancer on
/// every execution and close when it ends (for a reader: when the reader closes).</item>
/// <item><see cref="DbDataSource.CreateConnection"/> must return a closed connection, so it is bound to the peer the
/// strategy picks at that moment: opening it later neither fails over nor hedges. It counts in that peer's
/// <see cref="ProxySqlPeer.ConnectionsInUse"/> while open, so draining and least-connections see it.</item>
/// </list>
/// EF Core cannot use this data source (Pomelo opens its connections itself, so it would lose failover); use
/// <c>UseProxySql</c> from ProxySql.Gen.EntityFrameworkCore.
/// </remarks>
internal sealed class BalancerDataSource(Balancer balancer) : DbDataSource
{
    internal Balancer Balancer => balancer;

    public override string ConnectionString
    {
        get
        {
            ThrowIfReadByPomelo();
            return balancer.Settings.RedactedConnectionString;
        }
    }

    protected override DbConnection CreateDbConnection()
    {
        var peer = balancer.Select(0) ?? throw new ProxySqlUnavailableException(balancer.DescribePeers());
        var connection = peer.Pool.CreateConnection();
        CreatedConnectionTracker.Attach(peer, connection);
        return connection;
    }

    protected override DbConnection OpenDbConnection() => BalancedExecution.Open(balancer);

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default) =>
        await balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override DbCommand CreateDbCommand(string? commandText = null) => new BalancedCommand(balancer, commandText);

    protected override DbBatch CreateDbBatch() => new BalancedBatch(balancer);

    /// <summary>
    /// <c>UseMySql(dbs.DataSource, …)</c> would silently lose failover: Pomelo creates a connection and opens it itself.
    /// Pomelo reads the connection string when its first context is created, so that is where the mistake is stopped.
    /// The stack is only read here, never on a hot path.
    /// </summary>
    private static void ThrowIfReadByPomelo()
    {
        if (new StackTrace(1, fNeedFileInfo: false).ToString().Contains("Pomelo.EntityFrameworkCore", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "ProxySqlDatabases.DataSource was given to EF Core (UseMySql(dbs.DataSource, ...)). Pomelo opens the connections of a data source itself, " +
                "so EF Core would get no failover, hedging or draining. Reference ProxySql.Gen.EntityFrameworkCore and write " +
                "optionsBuilder.UseProxySql(dbs, serverVersion) instead of UseMySql.");
        }
    }
}
