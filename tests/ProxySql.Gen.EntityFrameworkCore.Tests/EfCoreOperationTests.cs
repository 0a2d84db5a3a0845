using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Internal;
using MySqlConnector;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>What EF Core users do beyond queries, through UseProxySql on real MariaDB behind relays.</summary>
public sealed class EfCoreOperationTests
{
    [Fact]
    public async Task EnsureDeleted_and_EnsureCreated_create_and_drop_the_database_through_the_balancer_and_leave_nothing_in_use()
    {
        await using var rig = await EfRig.StartAsync();
        await SchemaLifecycle.EnsureDeletedAndCreatedRoundTripAsync(rig);
    }

    [Fact]
    public async Task MigrateAsync_applies_a_migration_through_the_balancer_once()
    {
        await using var rig = await EfRig.StartAsync();
        await SchemaLifecycle.MigrateOnceAsync(rig);
    }

    [Fact]
    public async Task A_transaction_stays_on_one_session_and_its_connection_counts_once_until_commit()
    {
        await using var rig = await EfRig.StartAsync("RoundRobin");
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var context = new ShopContext(EfRig.Options(databases));
        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            var session = await SessionIdAsync(context);
            context.Orders.Add(new Order { Customer = "one" });
            await context.SaveChangesAsync();
            context.Orders.Add(new Order { Customer = "two" });
            await context.SaveChangesAsync();
            Assert.Equal(session, await SessionIdAsync(context));
            Assert.Equal(1, databases.InUse);
            await transaction.CommitAsync();
        }

        Assert.Equal(0, databases.InUse);
        Assert.Equal(2, await context.Orders.CountAsync());

        // Rolled back on the same session it began on.
        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            context.Orders.Add(new Order { Customer = "three" });
            await context.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Equal(2, await context.Orders.CountAsync());
        Assert.Equal(0, databases.InUse);
    }

    [Fact]
    public async Task Each_open_of_one_context_goes_through_the_balancer_and_round_robin_spreads_them()
    {
        await using var rig = await EfRig.StartAsync("RoundRobin");
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var context = new ShopContext(EfRig.Options(databases));
        var ports = new HashSet<uint>();
        for (var i = 0; i < 6; i++)
        {
            await context.Database.OpenConnectionAsync();
            Assert.Equal(1, databases.InUse);
            ports.Add(new MySqlConnectionStringBuilder(context.Database.GetDbConnection().ConnectionString).Port);
            Assert.Equal(0, await context.Orders.CountAsync());
            await context.Database.CloseConnectionAsync();
            Assert.Equal(0, databases.InUse);
        }

        Assert.Equal(3, ports.Count);
    }

    [Fact]
    public async Task Pooled_contexts_reused_many_times_return_every_connection()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        var factory = new PooledDbContextFactory<ShopContext>(EfRig.Options(databases), poolSize: 4);
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            await using var context = await factory.CreateDbContextAsync(ct);
            if (i % 10 == 0)
            {
                context.Orders.Add(new Order { Customer = $"c{i}" });
                await context.SaveChangesAsync(ct);
            }
            else
            {
                await context.Orders.CountAsync(ct);
            }
        });

        Assert.Equal(0, databases.InUse);
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(20, await check.Orders.CountAsync());
    }

    [Fact]
    public async Task Pomelo_options_are_on_every_connection_so_user_variables_work_and_found_rows_are_counted()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var context = new ShopContext(EfRig.Options(databases));
        Assert.Equal([42], await context.Database.SqlQueryRaw<int>("SET @answer = 42; SELECT @answer AS Value").ToListAsync());

        // UseAffectedRows=False: an update that changes nothing still reports the matched row, so EF sees no conflict.
        context.Orders.Add(new Order { Customer = "same" });
        await context.SaveChangesAsync();
        Assert.Equal(1, await context.Database.ExecuteSqlRawAsync("UPDATE Orders SET Customer = 'same'"));

        // Plain ADO.NET on the same databases object gets them too (documented).
        await using var connection = await databases.OpenConnectionAsync();
        Assert.True(new MySqlConnectionStringBuilder(connection.ConnectionString).AllowUserVariables);
    }

    [Fact]
    public async Task A_configuration_reload_keeps_Pomelo_options_on_the_connections_EF_core_opens()
    {
        await using var rig = await EfRig.StartAsync();
        var configuration = rig.BuildConfiguration();
        await using var databases = new ThreePeers(configuration);
        await EfRig.CreateSchemaAsync(databases);

        // A reload binds the configuration afresh, without the options UseProxySql added.
        configuration["ProxySql:Peers:Edge1:Weight"] = "2";
        configuration.Reload();
        Assert.Equal(2, databases.Edge1.Weight);

        await using var context = new ShopContext(EfRig.Options(databases));
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal([7], await context.Database.SqlQueryRaw<int>("SET @seven = 7; SELECT @seven AS Value").ToListAsync());
            Assert.True(new MySqlConnectionStringBuilder(context.Database.GetDbConnection().ConnectionString).AllowUserVariables);
        }

        Assert.Equal(0, databases.InUse);
    }

    [Fact]
    public async Task ServerVersion_is_detected_through_the_balancer_before_the_database_exists()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        rig.Relays[0].Mode = Testing.RelayMode.Killed;
        rig.Relays[1].Mode = Testing.RelayMode.Killed;
        var version = await ProxySqlServerVersion.AutoDetectAsync(databases);
        Assert.Equal(Pomelo.EntityFrameworkCore.MySql.Infrastructure.ServerType.MariaDb, version.Type);
        Assert.Equal(version, ProxySqlServerVersion.AutoDetect(databases));
        Assert.Equal(0, databases.InUse);
        Assert.Equal(ProxySqlPeerState.Up, databases.Edge3.State);
    }

    private static async Task<long> SessionIdAsync(ShopContext context) =>
        (await context.Database.SqlQueryRaw<long>("SELECT CONNECTION_ID() AS Value").ToListAsync())[0];
}
