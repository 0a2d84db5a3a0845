using Microsoft.EntityFrameworkCore;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>Misuse fails when the context is configured or first created, with a message that says what to change.</summary>
public sealed class MisuseTests
{
    [Fact]
    public async Task A_disposed_databases_object_fails_in_UseProxySql()
    {
        await using var rig = await EfRig.StartAsync();
        var databases = rig.CreateDatabases();
        await databases.DisposeAsync();

        var error = Assert.Throws<ObjectDisposedException>(() => EfRig.Options(databases));
        Assert.Contains("UseProxySql was given a disposed ThreePeers", error.Message, StringComparison.Ordinal);
        Assert.Contains("singleton", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ProxySql:Peers:Edge2:ConnectionString", "UseAffectedRows=True", "UseAffectedRows")]
    [InlineData("ProxySql:ConnectionString", "Allow User Variables=false", "AllowUserVariables")]
    public async Task A_peer_connection_string_that_contradicts_Pomelo_fails_naming_the_path_and_the_option(string key, string option, string keyword)
    {
        await using var rig = await EfRig.StartAsync();
        rig.Values[key] = rig.Values[key] + ";" + option;
        await using var databases = rig.CreateDatabases();

        var error = Assert.Throws<ProxySqlConfigurationException>(() => EfRig.Options(databases));
        var peer = key.Contains("Edge2", StringComparison.Ordinal) ? "Edge2" : "Edge1";
        Assert.Contains($"ProxySql:Peers:{peer}:ConnectionString", error.Message, StringComparison.Ordinal);
        Assert.Contains($"needs {keyword}=", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Remove {keyword}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Server.AppPassword, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseMySql_over_the_balanced_data_source_fails_at_the_first_context_pointing_to_UseProxySql()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();

        // The background probe's own sessions come first; what UseMySql does is measured from there.
        await ProxySql.Testing.Eventually.TrueAsync(() => databases.Peers.All(p => p.State == ProxySqlPeerState.Up), TimeSpan.FromSeconds(30), () => string.Join(", ", databases.Peers));
        var sessionsBefore = rig.Relays.Sum(r => r.TotalSessions);
        var error = Assert.ThrowsAny<InvalidOperationException>(() =>
        {
            using var context = new ShopContext(new DbContextOptionsBuilder<ShopContext>().UseMySql(databases.DataSource, EfRig.Version).Options);
            return context.Database.GetDbConnection();
        });
        Assert.Contains("UseProxySql(dbs, serverVersion)", error.Message, StringComparison.Ordinal);
        Assert.Contains("no failover", error.Message, StringComparison.Ordinal);
        Assert.Equal(sessionsBefore, rig.Relays.Sum(r => r.TotalSessions));
    }

    [Fact]
    public async Task Setting_a_connection_string_on_a_UseProxySql_context_is_refused()
    {
        await using var rig = await EfRig.StartAsync();
        await using var databases = rig.CreateDatabases();
        await using var context = new ShopContext(EfRig.Options(databases));

        var error = Assert.Throws<InvalidOperationException>(() => context.Database.SetConnectionString("Server=elsewhere"));
        Assert.Contains("change the ProxySql section", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Server.AppPassword, context.Database.GetConnectionString()!, StringComparison.Ordinal);
    }
}
