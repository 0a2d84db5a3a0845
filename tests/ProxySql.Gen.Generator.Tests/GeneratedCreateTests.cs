using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace ProxySql.Generator.Tests;

/// <summary>The generated Create on real (in-memory) configuration, through the real runtime.</summary>
public sealed class GeneratedCreateTests
{
    private const string Password = "hunter2-secret";

    // A frozen clock: the balancer's background probes never fire, so nothing dials the (closed) loopback port.
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Create_binds_the_declared_peers_in_declaration_order()
    {
        await using var databases = ShopDatabases.Create(Configuration(), timeProvider: _time);

        Assert.Equal([ShopDatabases.PeerNames.Edge1, ShopDatabases.PeerNames.Edge2], databases.Peers.Select(p => p.Name));
        Assert.Same(databases.Peers[1], databases.Edge2);
        Assert.Equal("proxysql-b", databases.Edge2.ConfigurationKey);
        Assert.Equal(2, databases.Edge2.Weight);
        Assert.Equal(5, databases.Edge1.Weight);
        Assert.Equal(ProxySqlPeerState.Disabled, databases.Edge1.State);
        Assert.Equal("Shop:ProxySql", ShopDatabases.ConfigurationSectionName);
    }

    [Fact]
    public async Task Create_through_the_static_interface_needs_no_reflection()
    {
        await using var databases = CreateVia<ShopDatabases>(Configuration(), _time);

        Assert.Equal(2, databases.Peers.Count);
    }

    [Theory]
    [InlineData("Shop:ProxySql:Peers:proxysql-b:ConnectionString", null, "Shop:ProxySql:Peers:proxysql-b")]
    [InlineData("Shop:ProxySql:CheckInterval", "soon", "Shop:ProxySql:CheckInterval")]
    [InlineData("Shop:ProxySql:Peers:Edge1:Weight", "heavy", "Shop:ProxySql:Peers:Edge1:Weight")]
    public void Invalid_configuration_fails_with_the_path_and_without_the_password(string key, string? value, string path)
    {
        var exception = Assert.Throws<ProxySqlConfigurationException>(() => ShopDatabases.Create(Configuration((key, value)), timeProvider: _time));

        Assert.Equal(path, exception.Path);
        Assert.StartsWith(path, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, exception.ToString(), StringComparison.Ordinal);
    }

    private static T CreateVia<T>(IConfiguration configuration, TimeProvider time)
        where T : ProxySqlDatabases, IProxySqlDatabases<T> => T.Create(configuration, timeProvider: time);

    private static IConfiguration Configuration(params (string Key, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>
        {
            ["Shop:ProxySql:ConnectionString"] = $"Database=app;User ID=app;Password={Password}",
            ["Shop:ProxySql:Peers:Edge1:ConnectionString"] = "Server=127.0.0.1;Port=9",
            ["Shop:ProxySql:Peers:Edge1:Weight"] = "5",
            ["Shop:ProxySql:Peers:Edge1:Enabled"] = "false",
            ["Shop:ProxySql:Peers:proxysql-b:ConnectionString"] = "Server=127.0.0.1;Port=9",
        };
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                values.Remove(key);
            }
            else
            {
                values[key] = value;
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
