using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Xunit.Abstractions;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>
/// What EF Core users do beyond queries, through UseProxySql on three real proxysql 2.7 nodes (PROXYSQL_BIN):
/// EnsureCreated/EnsureDeleted, a hand-written migration, and explicit transactions (which ProxySQL 2.7 breaks unless
/// the connection does not pipeline, docs/configuration-and-behaviour.md). Which node served a statement is read from
/// the nodes' own query digests (stats_mysql_query_digest).
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class EfProxySqlOperationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EnsureDeleted_and_EnsureCreated_create_and_drop_the_database_through_a_node()
    {
        await using var rig = await EfRig.StartAsync(RigKind.ProxySql);
        await SchemaLifecycle.EnsureDeletedAndCreatedRoundTripAsync(rig);
    }

    [Fact]
    public async Task MigrateAsync_creates_the_database_and_applies_a_hand_written_migration_through_a_node_once()
    {
        await using var rig = await EfRig.StartAsync(RigKind.ProxySql);
        await SchemaLifecycle.MigrateOnceAsync(rig);
    }

    [Fact]
    public async Task A_transaction_runs_on_one_node_and_commit_and_rollback_both_work()
    {
        await using var rig = await EfRig.StartAsync(RigKind.ProxySql, strategy: "RoundRobin");
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var context = new ShopContext(EfRig.Options(databases));
        foreach (var commit in new[] { true, false, true })
        {
            var before = await StatementsAsync(rig);
            int node;
            await using (var transaction = await context.Database.BeginTransactionAsync())
            {
                node = NodeOf(rig, context);
                for (var i = 0; i < 3; i++)
                {
                    context.Orders.Add(new Order { Customer = commit ? "kept" : "dropped", Total = i });
                    await context.SaveChangesAsync();
                    Assert.Equal(node, NodeOf(rig, context));
                    Assert.Equal(1, databases.InUse);
                }

                // Uncommitted: a session of the server's own does not see the rows.
                Assert.Equal(0L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders WHERE Customer = 'dropped'"));
                if (commit)
                    await transaction.CommitAsync();
                else
                    await transaction.RollbackAsync();
            }

            var after = await StatementsAsync(rig);
            output.WriteLine($"{(commit ? "commit" : "rollback")} on node {node}: its statements per node before [{string.Join(", ", before)}], after [{string.Join(", ", after)}]; digests on it: {await DigestsAsync(rig, node)}");
            for (var n = 0; n < after.Length; n++)
                Assert.Equal(before[n] + (n == node ? 5 : 0), after[n]); // start, 3 inserts, commit or rollback

            Assert.Equal(0, databases.InUse);
        }

        Assert.Equal(6L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders WHERE Customer = 'kept'"));
        Assert.Equal(0L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders WHERE Customer = 'dropped'"));
    }

    [Fact]
    public async Task A_node_killed_inside_a_transaction_fails_it_with_the_driver_error_and_nothing_in_it_is_retried()
    {
        await using var rig = await EfRig.StartAsync(RigKind.ProxySql, strategy: "RoundRobin");
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var context = new ShopContext(EfRig.Options(databases));
        await using var transaction = await context.Database.BeginTransactionAsync();
        context.Orders.Add(new Order { Customer = "lost", Total = 1 });
        await context.SaveChangesAsync();
        var node = NodeOf(rig, context);
        var before = await StatementsAsync(rig);
        await rig.Nodes[node].KillAsync();

        context.Orders.Add(new Order { Customer = "lost", Total = 2 });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => context.SaveChangesAsync());
        output.WriteLine($"the statement after the kill of node {node}: {error.GetType().Name}: {error.Message} / {error.InnerException?.GetType().Name}: {error.InnerException?.Message}");
        Assert.True(EfWorkload.IsDriverError(error), error.ToString());

        // Not reopened on another node: the other nodes saw nothing, and nothing of the transaction was committed.
        var after = await StatementsAsync(rig, except: node);
        for (var n = 0; n < after.Length; n++)
        {
            if (n != node)
                Assert.Equal(before[n], after[n]);
        }

        Assert.Equal(0L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders"));
    }

    [Fact]
    public async Task With_the_retrying_strategy_a_transaction_broken_by_a_kill_is_not_retried_and_the_next_one_commits_on_another_node()
    {
        await using var rig = await EfRig.StartAsync(RigKind.ProxySql, strategy: "RoundRobin");
        await using var databases = rig.CreateDatabases();
        await EfRig.CreateSchemaAsync(databases);
        await using var context = new ShopContext(EfRig.Options(databases, m => m.EnableRetryOnFailure(3, TimeSpan.FromMilliseconds(100), null)));
        var nodes = new List<int>();
        var strategy = context.Database.CreateExecutionStrategy();
        async Task TransactionAsync(bool killInside)
        {
            await strategy.ExecuteAsync(async () =>
            {
                context.ChangeTracker.Clear();
                await using var transaction = await context.Database.BeginTransactionAsync();
                nodes.Add(NodeOf(rig, context));
                context.Orders.Add(new Order { Customer = "whole", Total = nodes.Count });
                await context.SaveChangesAsync();
                if (killInside)
                    await rig.Nodes[nodes[^1]].KillAsync();
                context.Orders.Add(new Order { Customer = "whole", Total = nodes.Count });
                await context.SaveChangesAsync();
                await transaction.CommitAsync();
            });
        }

        // A session lost mid-transaction may have committed or not: Pomelo does not call it transient, so the
        // strategy surfaces it instead of running the transaction again, and nothing in it is replayed elsewhere.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TransactionAsync(killInside: true));
        Assert.True(EfWorkload.IsDriverError(error), error.ToString());
        Assert.Single(nodes);
        Assert.Equal(0L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders"));

        // The next transaction opens through the balancer again, on a node that is up.
        await TransactionAsync(killInside: false);
        output.WriteLine($"transactions on nodes [{string.Join(", ", nodes)}]; the first failed with {error.GetType().Name}: {error.Message}");
        Assert.Equal(2, nodes.Count);
        Assert.NotEqual(nodes[0], nodes[1]);
        Assert.Equal(2L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders WHERE Total = 2"));
        Assert.Equal(2L, await rig.Server.ScalarRootAsync($"SELECT COUNT(*) FROM `{rig.Database}`.Orders"));
        Assert.Equal(0, databases.InUse);
    }

    /// <summary>The node the context's open connection is on (its port).</summary>
    private static int NodeOf(EfRig rig, ShopContext context)
    {
        var port = (int)new MySqlConnectionStringBuilder(context.Database.GetDbConnection().ConnectionString).Port;
        var node = rig.Nodes.Select((n, i) => (n, i)).Single(x => x.n.Port == port).i;
        return node;
    }

    /// <summary>
    /// How many statements of the transactions in these tests (start transaction, inserts into Orders, commit, rollback) each node ran, from
    /// its query digests; -1 for <paramref name="except"/> (killed). Exact whatever else the pools send (resets, SET NAMES).
    /// </summary>
    private static async Task<long[]> StatementsAsync(EfRig rig, int except = -1)
    {
        var counts = new long[rig.Nodes.Count];
        for (var n = 0; n < counts.Length; n++)
        {
            counts[n] = n == except ? -1 : Convert.ToInt64(
                await rig.Nodes[n].RequireNode("query digests").AdminScalarAsync(
                    "SELECT COALESCE(SUM(count_star), 0) FROM stats_mysql_query_digest WHERE digest_text LIKE '%INSERT INTO `Orders`%' OR LOWER(digest_text) IN ('start transaction', 'commit', 'rollback')"),
                CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static async Task<string> DigestsAsync(EfRig rig, int node) =>
        Convert.ToString(await rig.Nodes[node].RequireNode("query digests").AdminScalarAsync(
            "SELECT GROUP_CONCAT(digest_text || ' x' || count_star, ' | ') FROM stats_mysql_query_digest"), CultureInfo.InvariantCulture) ?? "";
}
