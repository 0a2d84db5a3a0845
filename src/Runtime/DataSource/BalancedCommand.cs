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
    private readonly Balancer _balancer;
    private readonly MySqlCommand _command;

    public BalancedCommand(Balancer balancer, string? commandText)
    {
        _balancer = balancer;
        _command = new MySqlCommand(commandText);
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

    public override int ExecuteNonQuery()
    {
        using var connection = BalancedExecution.Open(_balancer);
        _command.Connection = connection;
        return _command.ExecuteNonQuery();
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        var connection = await _balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            _command.Connection = connection;
            return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override object? ExecuteScalar()
    {
        using var connection = BalancedExecution.Open(_balancer);
        _command.Connection = connection;
        return _command.ExecuteScalar();
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        var connection = await _balancer.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            _command.Connection = connection;
            return await _command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        var connection = BalancedExecution.Open(_balancer);
        try
        {
            _command.Connection = connection;
            return _command.ExecuteReader(behavior | CommandBehavior.CloseConnection);
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
            _command.Connection = connection;
            return await _command.ExecuteReaderAsync(behavior | CommandBehavior.CloseConnection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override DbParameter CreateDbParameter() => _command.CreateParameter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _command.Dispose();
        base.Dispose(disposing);
    }
}
