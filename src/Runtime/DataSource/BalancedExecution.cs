using ProxySql.Core;
using MySqlConnector;

namespace ProxySql.DataSource;

/// <summary>What the data source, its commands and its batches share.</summary>
internal static class BalancedExecution
{
    /// <summary>
    /// ADO.NET's synchronous executions need a synchronous open; the balancer's open is asynchronous (timeouts and
    /// hedging run on timers), so it is waited for here, as <c>DbDataSource.OpenConnection</c> does.
    /// </summary>
    public static MySqlConnection Open(Balancer balancer) =>
        balancer.OpenConnectionAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public static string NoConnectionMessage(string what, string alternative) =>
        $"A {what} from ProxySqlDatabases.DataSource opens its own connection through the balancer on each execution, so it takes no connection or transaction. " +
        $"To run on a given connection or in a transaction, open one (await dbs.OpenConnectionAsync()) and use {alternative}.";
}
