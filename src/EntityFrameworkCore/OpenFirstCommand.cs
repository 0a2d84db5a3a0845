using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore.Storage;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// EF Core's command, opened first for a non-query or a scalar. EF creates those commands on the context's connection
/// before opening it, and an open swaps in the balancer's connection (<see cref="ProxySqlRelationalConnection"/>), so the
/// command would point at the closed one; opened here first (EF's own open then only counts), EF creates it on the open
/// one. A reader is created after the open already. This replaces a command interceptor, which made EF raise every
/// command event (and take a new Guid) per command: about a tenth of its throughput.
/// </summary>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "The command is EF's; only the order of open and create changes.")]
internal sealed class OpenFirstCommand(IRelationalCommand inner) : IRelationalCommand
{
    public string CommandText => inner.CommandText;

    public IReadOnlyList<IRelationalParameter> Parameters => inner.Parameters;

    public int ExecuteNonQuery(RelationalCommandParameterObject parameterObject)
    {
        parameterObject.Connection.Open();
        try
        {
            return inner.ExecuteNonQuery(parameterObject);
        }
        finally
        {
            parameterObject.Connection.Close();
        }
    }

    public async Task<int> ExecuteNonQueryAsync(RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken = default)
    {
        await parameterObject.Connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await inner.ExecuteNonQueryAsync(parameterObject, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await parameterObject.Connection.CloseAsync().ConfigureAwait(false);
        }
    }

    public object? ExecuteScalar(RelationalCommandParameterObject parameterObject)
    {
        parameterObject.Connection.Open();
        try
        {
            return inner.ExecuteScalar(parameterObject);
        }
        finally
        {
            parameterObject.Connection.Close();
        }
    }

    public async Task<object?> ExecuteScalarAsync(RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken = default)
    {
        await parameterObject.Connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await inner.ExecuteScalarAsync(parameterObject, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await parameterObject.Connection.CloseAsync().ConfigureAwait(false);
        }
    }

    public RelationalDataReader ExecuteReader(RelationalCommandParameterObject parameterObject) => inner.ExecuteReader(parameterObject);

    public Task<RelationalDataReader> ExecuteReaderAsync(RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken = default) =>
        inner.ExecuteReaderAsync(parameterObject, cancellationToken);

    public System.Data.Common.DbCommand CreateDbCommand(RelationalCommandParameterObject parameterObject, Guid commandId, Microsoft.EntityFrameworkCore.Diagnostics.DbCommandMethod commandMethod) =>
        inner.CreateDbCommand(parameterObject, commandId, commandMethod);

    public void PopulateFrom(IRelationalCommandTemplate commandTemplate) => inner.PopulateFrom(commandTemplate);
}
