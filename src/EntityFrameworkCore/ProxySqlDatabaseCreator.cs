using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage;
using Pomelo.EntityFrameworkCore.MySql.Storage.Internal;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// Pomelo's database creator with an existence check that a ProxySQL node cannot answer by itself. Pomelo checks with
/// <c>USE `db`</c>, which ProxySQL acknowledges without asking a backend (it also accepts a handshake naming a database that
/// does not exist), so <c>EnsureDeleted</c> would drop a missing database and <c>EnsureCreated</c> would never create it.
/// Asking <c>information_schema</c> reaches a backend through a node and gives the same answer on a plain server.
/// </summary>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "Pomelo's creator is the service to extend; Pomelo is pinned to 9.0.0.")]
internal sealed class ProxySqlDatabaseCreator : MySqlDatabaseCreator
{
    private const string ExistsSql = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @name";
    private readonly IMySqlRelationalConnection _connection;

    /// <summary>Resolved by EF Core's service provider.</summary>
    public ProxySqlDatabaseCreator(RelationalDatabaseCreatorDependencies dependencies, IMySqlRelationalConnection connection, IRawSqlCommandBuilder rawSqlCommandBuilder)
        : base(dependencies, connection, rawSqlCommandBuilder) => _connection = connection;

    public override bool Exists()
    {
        using var master = _connection.CreateMasterConnection();
        master.Open();
        using var command = CreateExistsCommand(master);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    public override async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        var master = _connection.CreateMasterConnection();
        await using (master.ConfigureAwait(false))
        {
            await master.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = CreateExistsCommand(master);
            await using (command.ConfigureAwait(false))
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
        }
    }

    private System.Data.Common.DbCommand CreateExistsCommand(IRelationalConnection master)
    {
        var command = master.DbConnection.CreateCommand();
        command.CommandText = ExistsSql;
        var name = command.CreateParameter();
        name.ParameterName = "@name";
        name.Value = _connection.DbConnection.Database;
        command.Parameters.Add(name);
        return command;
    }
}
