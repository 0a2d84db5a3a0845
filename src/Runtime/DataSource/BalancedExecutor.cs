using ProxySql.Core;
using System.Data;
using System.Data.Common;
using MySqlConnector;

namespace ProxySql.DataSource;

/// <summary>
/// The one execution pattern of the data source's commands and batches: open through the balancer, attach the
/// connection to the driver's command or batch (<typeparamref name="TTarget"/>), run, and close when the execution
/// ends (a reader: when the reader closes, through <see cref="CommandBehavior.CloseConnection"/>).
/// </summary>
/// <typeparam name="TTarget">The driver object that runs: <see cref="MySqlCommand"/> or <see cref="MySqlBatch"/>.</typeparam>
/// <param name="balancer">Where connections come from.</param>
/// <param name="target">The driver object; it keeps the text, parameters and timeout between executions.</param>
/// <param name="attach">Sets <paramref name="target"/>'s connection (the two driver types have no common base for it).</param>
internal sealed class BalancedExecutor<TTarget>(Balancer balancer, TTarget target, Action<TTarget, MySqlConnection> attach)
{
    public TResult Run<TResult>(Func<TTarget, TResult> execute)
    {
        using var connection = BalancedExecution.Open(balancer);
        attach(target, connection);
        return execute(target);
    }

    public async Task<TResult> RunAsync<TResult>(Func<TTarget, CancellationToken, Task<TResult>> execute, CancellationToken cancellationToken)
    {
        var connection = await balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            attach(target, connection);
            return await execute(target, cancellationToken).ConfigureAwait(false);
        }
    }

    public DbDataReader Read<TReader>(Func<TTarget, CommandBehavior, TReader> execute, CommandBehavior behavior)
        where TReader : DbDataReader
    {
        var connection = BalancedExecution.Open(balancer);
        try
        {
            attach(target, connection);
            return execute(target, behavior | CommandBehavior.CloseConnection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<DbDataReader> ReadAsync<TReader>(Func<TTarget, CommandBehavior, CancellationToken, Task<TReader>> execute, CommandBehavior behavior, CancellationToken cancellationToken)
        where TReader : DbDataReader
    {
        var connection = await balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            attach(target, connection);
            return await execute(target, behavior | CommandBehavior.CloseConnection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
