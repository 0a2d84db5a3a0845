using MySqlConnector;
using ProxySql.Configuration;

namespace ProxySql.Tests;

public sealed class SettingsReaderTests
{
    private static BalancerSettings Read(Dictionary<string, string?> values, ProxySqlDefaults? defaults = null) =>
        SettingsReader.Read(TestBalancers.Build(values), "ProxySql", TestBalancers.ThreePeers, defaults ?? new ProxySqlDefaults());

    private static ProxySqlConfigurationException Invalid(Dictionary<string, string?> values)
    {
        var error = Assert.Throws<ProxySqlConfigurationException>(() => Read(values));
        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Peer_connection_string_is_merged_over_the_shared_one_and_peer_keys_win()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge2:ConnectionString"] = "Server=b;Port=6034;Database=other";
        var settings = Read(values);
        var edge2 = new MySqlConnectionStringBuilder(settings.Peers[1].ConnectionString);
        Assert.Equal("b", edge2.Server);
        Assert.Equal(6034u, edge2.Port);
        Assert.Equal("other", edge2.Database);
        Assert.Equal("app", edge2.UserID);
        Assert.Equal("s3cret-pw", edge2.Password);
        Assert.Equal("app", new MySqlConnectionStringBuilder(settings.Peers[0].ConnectionString).Database);
    }

    [Fact]
    public void Probe_connection_string_is_unpooled_and_the_redacted_one_has_no_password()
    {
        var settings = Read(TestBalancers.Config());
        Assert.False(new MySqlConnectionStringBuilder(settings.Peers[0].ProbeConnectionString).Pooling);
        Assert.DoesNotContain("s3cret-pw", settings.RedactedConnectionString, StringComparison.Ordinal);
        Assert.Contains("app", settings.RedactedConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_keys_are_case_insensitive()
    {
        var values = TestBalancers.Config(null, ("EDGE1", "a", 1), ("edge2", "b", 1), ("ProxySQL-C", "c", 3));
        var settings = Read(values);
        Assert.Equal(3, settings.Peers[2].Weight);
        Assert.Equal("Edge3", settings.Peers[2].Name);
    }

    [Fact]
    public void Configuration_beats_attribute_defaults_which_beat_library_defaults()
    {
        var values = TestBalancers.Config();
        values.Remove("ProxySql:HedgeDelay");
        values.Remove("ProxySql:ProbeInterval");
        values["ProxySql:Strategy"] = "roundrobin";
        var settings = Read(values, new ProxySqlDefaults { CheckInterval = TimeSpan.FromSeconds(5), HedgeDelay = TimeSpan.FromMilliseconds(40), Strategy = ProxySqlStrategy.Ordered });
        Assert.Equal(TimeSpan.FromSeconds(30), settings.CheckInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(40), settings.HedgeDelay);
        Assert.Equal(ProxySqlStrategy.RoundRobin, settings.Strategy);
        Assert.Equal(BalancerSettings.DefaultProbeInterval, settings.ProbeInterval);
    }

    [Fact]
    public void Connect_timeout_defaults_to_the_shared_connection_strings_and_is_written_into_each_peers()
    {
        var values = TestBalancers.Config();
        values.Remove("ProxySql:ConnectTimeout");
        values["ProxySql:ConnectionString"] = "Database=app;User ID=app;Password=s3cret-pw;Connect Timeout=3";
        var settings = Read(values);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.ConnectTimeout);

        values["ProxySql:ConnectTimeout"] = "0.5";
        settings = Read(values);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.ConnectTimeout);
        Assert.Equal(1u, new MySqlConnectionStringBuilder(settings.Peers[0].ConnectionString).ConnectionTimeout);
    }

    [Fact]
    public void Negative_weight_names_its_path()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge2:Weight"] = "-1";
        Assert.StartsWith("ProxySql:Peers:Edge2:Weight:", Invalid(values).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_numeric_weight_names_its_path()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge2:Weight"] = "heavy";
        Assert.Equal("ProxySql:Peers:Edge2:Weight", Invalid(values).Path);
    }

    [Theory]
    [InlineData("CheckInterval", "0")]
    [InlineData("ConnectTimeout", "-2")]
    [InlineData("HedgeDelay", "soon")]
    [InlineData("ProbeInterval", "00:00:00")]
    public void Bad_interval_names_its_path(string key, string value)
    {
        var values = TestBalancers.Config();
        values["ProxySql:" + key] = value;
        Assert.Equal("ProxySql:" + key, Invalid(values).Path);
    }

    [Theory]
    [InlineData("Fastest")]
    [InlineData("1")]
    public void Unknown_strategy_names_its_path_and_the_choices(string value)
    {
        var values = TestBalancers.Config();
        values["ProxySql:Strategy"] = value;
        var error = Invalid(values);
        Assert.Equal("ProxySql:Strategy", error.Path);
        Assert.Contains("LeastConnections", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_peer_that_no_property_declares_is_an_error_naming_it()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge9:ConnectionString"] = "Server=z";
        var error = Invalid(values);
        Assert.Equal("ProxySql:Peers:Edge9", error.Path);
        Assert.Contains("Edge9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Declared_peer_missing_from_configuration_is_an_error()
    {
        var values = TestBalancers.Config(null, ("Edge1", "a", 1), ("proxysql-c", "c", 1));
        Assert.Equal("ProxySql:Peers:Edge2", Invalid(values).Path);
    }

    [Fact]
    public void Peer_without_a_server_is_an_error()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge1:ConnectionString"] = "Port=6033";
        Assert.Equal("ProxySql:Peers:Edge1:ConnectionString", Invalid(values).Path);
    }

    [Fact]
    public void Malformed_connection_string_never_echoes_the_password()
    {
        var values = TestBalancers.Config();
        values["ProxySql:ConnectionString"] = "Database=app;Password=s3cret-pw;Port=notanumber";
        var error = Invalid(values);
        Assert.Equal("ProxySql:ConnectionString", error.Path);
        Assert.Contains("Port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typo_in_a_peer_setting_names_its_path()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge1:Wieght"] = "2";
        Assert.Equal("ProxySql:Peers:Edge1:Wieght", Invalid(values).Path);
    }

    [Fact]
    public void The_hosting_switches_are_left_to_the_hosting_package()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Hosting:DisableTracing"] = "true";
        Assert.Equal(3, Read(values).Peers.Count);
    }

    [Fact]
    public void Enabled_must_be_a_boolean()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge1:Enabled"] = "nope";
        Assert.Equal("ProxySql:Peers:Edge1:Enabled", Invalid(values).Path);
        values["ProxySql:Peers:Edge1:Enabled"] = "False";
        Assert.False(Read(values).Peers[0].Enabled);
    }

    [Fact]
    public void Attribute_weight_applies_when_configuration_has_none()
    {
        var values = TestBalancers.Config();
        values.Remove("ProxySql:Peers:Edge1:Weight");
        var peers = new ProxySqlPeerDefinition[] { new("Edge1", "Edge1", 4), new("Edge2", "Edge2"), new("Edge3", "proxysql-c") };
        Assert.Equal(4, SettingsReader.Read(TestBalancers.Build(values), "ProxySql", peers, new ProxySqlDefaults()).Peers[0].Weight);
    }
}
