using System.Data;
using Dapper;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>dbs.DataSource commands, batches and created connections, and Dapper on both kinds of connection.</summary>
public sealed class AdoNetAndDapperTests
{
    [Fact]
    public async Task Data_source_commands_and_batches_open_through_the_balancer_on_every_execution_and_fail_over()
    {
        await using var rig = await EfRig.StartAsync("RoundRobin");
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        rig.Relays[1].Mode = RelayMode.Killed;
        var dataSource = databases.DataSource;
        var sessions = new HashSet<uint>();

        for (var i = 0; i < 30; i++)
        {
            await using var command = dataSource.CreateCommand("SELECT @@port");
            Assert.Equal(rig.Server.Port, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            using var sync = dataSource.CreateCommand("SELECT 1");
            Assert.Equal(1, Convert.ToInt32(sync.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            await using var batch = dataSource.CreateBatch();
            var insert = batch.CreateBatchCommand();
            insert.CommandText = "INSERT INTO Orders (Customer, Total, Version) VALUES ('batch', 1, 0)";
            batch.BatchCommands.Add(insert);
            var select = batch.CreateBatchCommand();
            select.CommandText = "SELECT CONNECTION_ID()";
            batch.BatchCommands.Add(select);
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                while (reader.FieldCount == 0 && await reader.NextResultAsync())
                {
                }

                Assert.True(await reader.ReadAsync());
                sessions.Add(Convert.ToUInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(1, databases.InUse);
            }

            Assert.Equal(0, databases.InUse);
        }

        Assert.Equal(ProxySqlPeerState.Down, databases.Edge2.State);
        Assert.Equal(30L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders"));
        Assert.True(sessions.Count >= 2, $"{sessions.Count} sessions served the batches");
        var refused = Assert.Throws<NotSupportedException>(() => dataSource.CreateCommand().Connection = new MySqlConnection());
        Assert.Contains("dbs.OpenConnectionAsync()", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Created_connections_count_in_use_while_open_each_time_they_open()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var connection = databases.DataSource.CreateConnection();
        Assert.Equal(0, databases.InUse);
        for (var i = 0; i < 3; i++)
        {
            await connection.OpenAsync();
            Assert.Equal(1, databases.InUse);
            await connection.CloseAsync();
            Assert.Equal(0, databases.InUse);
        }
    }

    [Fact]
    public async Task Dapper_works_on_OpenConnectionAsync_on_data_source_opens_and_on_created_connections_it_opens_itself()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);

        await using (var connection = await databases.OpenConnectionAsync())
        {
            Assert.Equal(1, await connection.ExecuteAsync("INSERT INTO Orders (Customer, Total, Version) VALUES (@Customer, @Total, 0)", new { Customer = "dapper", Total = 3.5m }));
            Assert.Equal(1, databases.InUse);
        }

        await using (var connection = await databases.DataSource.OpenConnectionAsync())
        {
            var rows = (await connection.QueryAsync<(string Customer, decimal Total)>("SELECT Customer, Total FROM Orders")).ToList();
            Assert.Equal([("dapper", 3.5m)], rows);
        }

        // Dapper opens a closed connection itself and closes it after: counted only meanwhile.
        await using (var connection = databases.DataSource.CreateConnection())
        {
            Assert.Equal(ConnectionState.Closed, connection.State);
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM Orders"));
            Assert.Equal(ConnectionState.Closed, connection.State);
        }

        Assert.Equal(0, databases.InUse);
    }
}
