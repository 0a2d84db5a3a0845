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
    private readonly MySqlBatch _batch = new();
    private readonly BalancedExecutor<MySqlBatch> _executor;

    public BalancedBatch(Balancer balancer) =>
        _executor = new BalancedExecutor<MySqlBatch>(balancer, _batch, static (batch, connection) => batch.Connection = connection);

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

    public override int ExecuteNonQuery() => _executor.Run(static t => t.ExecuteNonQuery());

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken = default) =>
        _executor.RunAsync(static (t, ct) => t.ExecuteNonQueryAsync(ct), cancellationToken);

    public override object? ExecuteScalar() => _executor.Run(static t => t.ExecuteScalar());

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken = default) =>
        _executor.RunAsync(static (t, ct) => t.ExecuteScalarAsync(ct), cancellationToken);

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        _executor.Read(static (t, b) => t.ExecuteReader(b), behavior);

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        _executor.ReadAsync(static (t, b, ct) => t.ExecuteReaderAsync(b, ct), behavior, cancellationToken);

    protected override DbBatchCommand CreateDbBatchCommand() => _batch.CreateBatchCommand();

    public override void Dispose()
    {
        _batch.Dispose();
        base.Dispose();
    }
}
