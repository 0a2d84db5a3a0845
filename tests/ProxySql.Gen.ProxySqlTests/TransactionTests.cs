using System.Globalization;
using MySqlConnector;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// ADO.NET transactions on balanced connections, with the library's default driver options: through a ProxySQL 2.7 node
/// MySqlConnector's pipelined BeginTransaction fails ("Packet received out-of-order"), so peers are not pipelined unless
/// configured to be.
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class TransactionTests
{
    [Theory]
    [InlineData(RigKind.ProxySql)]
    [InlineData(RigKind.Relay)]
    public async Task Transactions_on_balanced_connections_commit_and_roll_back(RigKind kind)
    {
        await using var fleet = await Fleet.StartAsync(kind);
        await using var databases = fleet.CreateDatabases();
        var table = "tx_" + fleet.RunTag.Replace("-", "_", StringComparison.Ordinal);
        await ExecuteAsync(databases, $"CREATE TABLE {table} (id INT PRIMARY KEY)");
        try
        {
            // both ways an application opens: the databases object and its DbDataSource; enough rounds to reach every peer
            for (var i = 0; i < 12; i++)
            {
                await using var connection = i % 2 == 0
                    ? await databases.OpenConnectionAsync()
                    : (MySqlConnection)await databases.DataSource.OpenConnectionAsync();
                await using var transaction = await connection.BeginTransactionAsync();
                await using var insert = new MySqlCommand($"INSERT INTO {table} (id) VALUES ({i.ToString(CultureInfo.InvariantCulture)})", connection, transaction);
                await insert.ExecuteNonQueryAsync();
                if (i % 3 == 0)
                    await transaction.RollbackAsync();
                else
                    await transaction.CommitAsync();
            }

            await using var reader = await databases.OpenConnectionAsync();
            await using var select = new MySqlCommand($"SELECT GROUP_CONCAT(id ORDER BY id) FROM {table}", reader);
            Assert.Equal("1,2,4,5,7,8,10,11", Convert.ToString(await select.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }
        finally
        {
            await ExecuteAsync(databases, $"DROP TABLE {table}");
        }
    }

    [Fact]
    public async Task Pipelining_set_in_configuration_is_honoured_and_breaks_transactions_through_ProxySql()
    {
        // Why the default is off: if a later ProxySQL or MySqlConnector answers this in order, the default can go back on.
        await using var fleet = await Fleet.StartAsync(RigKind.ProxySql);
        fleet.Values["ProxySql:ConnectionString"] += ";Pipelining=True";
        await using var databases = fleet.CreateDatabases();
        await using var connection = await databases.OpenConnectionAsync();
        Assert.True(new MySqlConnectionStringBuilder(connection.ConnectionString).Pipelining);
        var error = await Assert.ThrowsAsync<MySqlProtocolException>(async () => await connection.BeginTransactionAsync());
        Assert.Contains("out-of-order", error.Message, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(NodeDatabases databases, string sql)
    {
        await using var connection = await databases.OpenConnectionAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
