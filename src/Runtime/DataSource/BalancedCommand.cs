using ProxySql.Core;
using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using MySqlConnector;

namespace ProxySql.DataSource;

/// <summary>
/// A command from <c>DataSource.CreateCommand()</c>: every execution opens a connection through the balancer (failover,
/// hedging, draining) and closes it when the execution ends; a reader closes it when the reader closes.
/// </summary>
[SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The caller's command text is passed through, as MySqlCommand does.")]
internal sealed class BalancedCommand : DbCommand
{
    private readonly MySqlCommand _command;
    private readonly BalancedExecutor<MySqlCommand> _executor;

    public BalancedCommand(Balancer balancer, string? commandText)
    {
        _command = new MySqlCommand(commandText);
        _executor = new BalancedExecutor<MySqlCommand>(balancer, _command, static (command, connection) => command.Connection = connection);
    }

    [AllowNull]
    public override string CommandText
    {
        get => _command.CommandText;
        set => _command.CommandText = value;
    }

    public override int CommandTimeout
    {
        get => _command.CommandTimeout;
        set => _command.CommandTimeout = value;
    }

    public override CommandType CommandType
    {
        get => _command.CommandType;
        set => _command.CommandType = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => _command.UpdatedRowSource;
        set => _command.UpdatedRowSource = value;
    }

    public override bool DesignTimeVisible
    {
        get => _command.DesignTimeVisible;
        set => _command.DesignTimeVisible = value;
    }

    protected override DbConnection? DbConnection
    {
        get => null;
        set => throw new NotSupportedException(BalancedExecution.NoConnectionMessage("command", "connection.CreateCommand()"));
    }

    protected override DbParameterCollection DbParameterCollection => _command.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => null;
        set => throw new NotSupportedException(BalancedExecution.NoConnectionMessage("command", "connection.CreateCommand()"));
    }

    public override void Cancel() => _command.Cancel();

    public override void Prepare()
    {
        // A prepared statement lives on one session; each execution here may get another one.
    }

    public override int ExecuteNonQuery() => _executor.Run(static t => t.ExecuteNonQuery());

    public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
        _executor.RunAsync(static (t, ct) => t.ExecuteNonQueryAsync(ct), cancellationToken);

    public override object? ExecuteScalar() => _executor.Run(static t => t.ExecuteScalar());

    public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
        _executor.RunAsync(static (t, ct) => t.ExecuteScalarAsync(ct), cancellationToken);

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) =>
        _executor.Read(static (t, b) => t.ExecuteReader(b), behavior);

    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        _executor.ReadAsync(static (t, b, ct) => t.ExecuteReaderAsync(b, ct), behavior, cancellationToken);

    protected override DbParameter CreateDbParameter() => _command.CreateParameter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _command.Dispose();
        base.Dispose(disposing);
    }
}
