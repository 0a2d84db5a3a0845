using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// EF Core creates a non-query or scalar command on the context's connection before opening it; the open then swaps in the
/// balancer's connection (<see cref="ProxySqlRelationalConnection"/>). Right before execution, after the open, this points
/// such a command at the connection that is open now.
/// </summary>
internal sealed class CommandRebinder : DbCommandInterceptor
{
    public static readonly CommandRebinder Instance = new();

    private CommandRebinder()
    {
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Rebind(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Rebind(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Rebind(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Rebind(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Rebind(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Rebind(command, eventData);
        return ValueTask.FromResult(result);
    }

    private static void Rebind(DbCommand command, CommandEventData eventData)
    {
        // eventData.Connection is read from the context after its open: the balancer's connection.
        if (eventData.Context is not null && !ReferenceEquals(command.Connection, eventData.Connection))
            command.Connection = eventData.Connection;
    }
}
