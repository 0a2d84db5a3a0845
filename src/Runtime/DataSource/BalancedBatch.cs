using ProxySql.Core;
using System.Data;
using System.Data.Common;
using MySqlConnector;

namespace ProxySql.DataSource;

/// <summary>
/// A batch from <c>DataSource.CreateBatch()</c>: every execution opens a connection through the balancer and closes it
/// when the execution ends; a reader closes it when the reader closes.
/// </summary>
internal sealed class BalancedBatch : DbBatch
{
    private readonly Balancer _balancer;
    private readonly MySqlBatch _batch = new();

    public BalancedBatch(Balancer balancer) => _balancer = balancer;

    public override int Timeout
    {
        get => _batch.Timeout;
        set => _batch.Timeout = value;
    }

    protected override DbBatchCommandCollection DbBatchCommands => _batch.BatchCommands;

    protected override DbConnection? DbConnection
    {
        get => null;
        set => throw new NotSupportedException(BalancedExecution.NoConnectionMessage("batch", "connection.CreateBatch()"));
    }

    protected override DbTransaction? DbTransaction
    {
        get => null;
        set => throw new NotSupportedException(BalancedExecution.NoConnectionMessage("batch", "connection.CreateBatch()"));
    }

    public override void Cancel() => _batch.Cancel();

    public override void Prepare()
    {
        // A prepared statement lives on one session; each execution here may get another one.
    }

    public override Task PrepareAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override int ExecuteNonQuery()
    {
        using var connection = BalancedExecution.Open(_balancer);
        _batch.Connection = connection;
        return _batch.ExecuteNonQuery();
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            _batch.Connection = connection;
            return await _batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override object? ExecuteScalar()
    {
        using var connection = BalancedExecution.Open(_balancer);
        _batch.Connection = connection;
        return _batch.ExecuteScalar();
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            _batch.Connection = connection;
            return await _batch.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var connection = BalancedExecution.Open(_balancer);
        try
        {
            _batch.Connection = connection;
            return _batch.ExecuteReader(behavior | CommandBehavior.CloseConnection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        var connection = await _balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _batch.Connection = connection;
            return await _batch.ExecuteReaderAsync(behavior | CommandBehavior.CloseConnection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override DbBatchCommand CreateDbBatchCommand() => _batch.CreateBatchCommand();

    public override void Dispose()
    {
        _batch.Dispose();
        base.Dispose();
    }
}
