using Microsoft.EntityFrameworkCore;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>
/// The schema operations EF Core users run (EnsureCreated/EnsureDeleted, migrations), each written once and run on
/// both rigs: relays in front of MariaDB and real ProxySQL nodes.
/// </summary>
internal static class SchemaLifecycle
{
    /// <summary>Deletes, creates, writes, and deletes again, sync and async; the server's own session checks each result.</summary>
    public static async Task EnsureDeletedAndCreatedRoundTripAsync(EfRig rig)
    {
        await using var databases = rig.CreateDatabases();
        await using (var context = new ShopContext(EfRig.Options(databases)))
        {
            // A ProxySQL node acknowledges USE of a missing database: the existence check must reach a backend.
            Assert.False(await context.Database.EnsureDeletedAsync());
            Assert.True(await context.Database.EnsureCreatedAsync());
            Assert.False(await context.Database.EnsureCreatedAsync());
            context.Orders.Add(new Order { Customer = "ada", Total = 12.5m });
            await context.SaveChangesAsync();
        }

        Assert.Equal(1L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders"));
        await using (var context = new ShopContext(EfRig.Options(databases)))
        {
            Assert.True(context.Database.EnsureDeleted());
            Assert.False(context.Database.EnsureDeleted());
            Assert.True(context.Database.EnsureCreated());
            Assert.True(await context.Database.EnsureDeletedAsync());
        }

        Assert.Equal(0L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{rig.Database}'"));
        Assert.Equal(0, databases.InUse);
    }

    /// <summary>Creates the database and applies the hand-written migration; a second context (likely another peer) changes nothing.</summary>
    public static async Task MigrateOnceAsync(EfRig rig)
    {
        await using var databases = rig.CreateDatabases();
        var options = new DbContextOptionsBuilder<MigratingContext>()
            .UseProxySql(databases, EfRig.Version)
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning))
            .Options;
        await using (var context = new MigratingContext(options))
        {
            Assert.Equal(["20260101000000_CreateOrders"], await context.Database.GetPendingMigrationsAsync());
            await context.Database.MigrateAsync();
            Assert.Equal(["20260101000000_CreateOrders"], await context.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await context.Database.GetPendingMigrationsAsync());
            context.Orders.Add(new Order { Customer = "grace", Total = 3m });
            await context.SaveChangesAsync();
        }

        await using (var context = new MigratingContext(options))
        {
            await context.Database.MigrateAsync();
            Assert.Equal(1, await context.Orders.CountAsync());
        }

        Assert.Equal(1L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.`__EFMigrationsHistory`"));
        Assert.Equal(1L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders"));
        Assert.Equal(0, databases.InUse);
    }
}
