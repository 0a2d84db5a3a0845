using ProxySql.Core;
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
    public void Pool_sizes_that_contradict_each_other_after_the_merge_name_the_peers_connection_string()
    {
        var values = TestBalancers.Config();
        values["ProxySql:ConnectionString"] += ";Minimum Pool Size=10";
        values["ProxySql:Peers:Edge2:ConnectionString"] = "Server=b;Port=6034;Maximum Pool Size=1";
        var error = Invalid(values);
        Assert.Equal("ProxySql:Peers:Edge2:ConnectionString", error.Path);
        Assert.Contains("Minimum Pool Size (10) is more than Maximum Pool Size (1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_the_driver_rejects_together_name_the_peers_connection_string()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge1:ConnectionString"] = "Server=a;Port=6033;Old Guids=true;GuidFormat=Char36";
        var error = Invalid(values);
        Assert.Equal("ProxySql:Peers:Edge1:ConnectionString", error.Path);
        Assert.Contains("rejected by MySqlConnector", error.Message, StringComparison.Ordinal);
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

        // The driver's own timeout backs up the balancer's deadline, also when that is moved once (2 x 0.5 s + 1 s).
        Assert.Equal(2u, new MySqlConnectionStringBuilder(settings.Peers[0].ConnectionString).ConnectionTimeout);
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

    [Fact]
    public void New_settings_have_their_library_defaults_and_LoadAware_is_the_default_strategy()
    {
        var settings = Read(TestBalancers.Config());

        Assert.Equal(ProxySqlStrategy.LoadAware, settings.Strategy);
        Assert.Equal("SELECT 1", settings.ProbeQuery);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.ProbeTimeout);
        Assert.Equal(1, settings.MaxHedgedAttempts);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.SlowStartWindow);
        Assert.False(settings.ShutdownSessionsOnMarkDown);
    }

    [Fact]
    public void New_settings_bind_from_configuration_over_attribute_defaults()
    {
        var values = TestBalancers.Config();
        values["ProxySql:probequery"] = " DO 1 ; ";
        values["ProxySql:ProbeTimeout"] = "00:00:00.250";
        values["ProxySql:MaxHedgedAttempts"] = "0";
        values["ProxySql:SlowStartWindow"] = "0";
        values["ProxySql:ShutdownSessionsOnMarkDown"] = "True";
        var defaults = new ProxySqlDefaults { ProbeQuery = "SELECT 2", ProbeTimeout = TimeSpan.FromSeconds(3), MaxHedgedAttempts = 5, SlowStartWindow = TimeSpan.FromSeconds(30), ShutdownSessionsOnMarkDown = false };

        var settings = Read(values, defaults);

        Assert.Equal("DO 1", settings.ProbeQuery);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.ProbeTimeout);
        Assert.Equal(0, settings.MaxHedgedAttempts);
        Assert.Equal(TimeSpan.Zero, settings.SlowStartWindow);
        Assert.True(settings.ShutdownSessionsOnMarkDown);
    }

    [Fact]
    public void Attribute_defaults_of_the_new_settings_apply_when_configuration_has_none()
    {
        var defaults = new ProxySqlDefaults { Strategy = ProxySqlStrategy.Random, ProbeQuery = "SELECT 2", ProbeTimeout = TimeSpan.FromSeconds(3), MaxHedgedAttempts = 5, SlowStartWindow = TimeSpan.FromSeconds(30), ShutdownSessionsOnMarkDown = true };

        var settings = Read(TestBalancers.Config(), defaults);

        Assert.Equal(ProxySqlStrategy.Random, settings.Strategy);
        Assert.Equal("SELECT 2", settings.ProbeQuery);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.ProbeTimeout);
        Assert.Equal(5, settings.MaxHedgedAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.SlowStartWindow);
        Assert.True(settings.ShutdownSessionsOnMarkDown);
    }

    [Theory]
    [InlineData("ProbeTimeout", "0")]
    [InlineData("ProbeTimeout", "24.00:00:01")]
    [InlineData("ProbeTimeout", "soon")]
    [InlineData("SlowStartWindow", "-1")]
    [InlineData("SlowStartWindow", "25.00:00:00")]
    [InlineData("MaxHedgedAttempts", "-1")]
    [InlineData("MaxHedgedAttempts", "64")]
    [InlineData("MaxHedgedAttempts", "1.5")]
    [InlineData("ShutdownSessionsOnMarkDown", "on")]
    [InlineData("ProbeQuery", "")]
    [InlineData("ProbeQuery", " ; ")]
    [InlineData("ProbeQuery", "SELECT 1; SELECT 2")]
    [InlineData("Strategy", "Loadaware2")]
    public void Bad_new_setting_names_its_path(string key, string value)
    {
        var values = TestBalancers.Config();
        values["ProxySql:" + key] = value;
        var error = Invalid(values);
        Assert.Equal("ProxySql:" + key, error.Path);
        Assert.StartsWith("ProxySql:" + key + ": ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LoadAware", ProxySqlStrategy.LoadAware)]
    [InlineData(" loadaware ", ProxySqlStrategy.LoadAware)]
    [InlineData("leastconnections", ProxySqlStrategy.LeastConnections)]
    public void Strategy_names_bind_in_any_case(string value, ProxySqlStrategy expected)
    {
        var values = TestBalancers.Config(value);
        Assert.Equal(expected, Read(values).Strategy);
    }

    [Theory]
    [InlineData("MaxHedgedAttempts")]
    [InlineData("ProbeTimeout")]
    [InlineData("SlowStartWindow")]
    [InlineData("ProbeQuery")]
    [InlineData("Strategy")]
    public void Out_of_range_hand_written_defaults_name_the_setting(string key)
    {
        var defaults = key switch
        {
            "MaxHedgedAttempts" => new ProxySqlDefaults { MaxHedgedAttempts = 64 },
            "ProbeTimeout" => new ProxySqlDefaults { ProbeTimeout = TimeSpan.Zero },
            "SlowStartWindow" => new ProxySqlDefaults { SlowStartWindow = TimeSpan.FromSeconds(-1) },
            "ProbeQuery" => new ProxySqlDefaults { ProbeQuery = "SELECT 1; DROP TABLE t" },
            _ => new ProxySqlDefaults { Strategy = (ProxySqlStrategy)99 },
        };

        var error = Assert.Throws<ProxySqlConfigurationException>(() => Read(TestBalancers.Config(), defaults));

        Assert.Equal("ProxySql:" + key, error.Path);
        Assert.Contains("compile-time default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_setting_error_lists_the_new_settings()
    {
        var values = TestBalancers.Config();
        values["ProxySql:ProbeTimout"] = "1";
        var error = Invalid(values);
        Assert.Equal("ProxySql:ProbeTimout", error.Path);
        Assert.Contains("ProbeTimeout, MaxHedgedAttempts, SlowStartWindow, ShutdownSessionsOnMarkDown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_connect_timeout_in_its_own_connection_string_wins_over_the_shared_one()
    {
        var values = TestBalancers.Config();
        values["ProxySql:ConnectTimeout"] = "2";
        values["ProxySql:ConnectionString"] = "Database=app;User ID=app;Password=s3cret-pw;Connect Timeout=4";
        values["ProxySql:Peers:Edge2:ConnectionString"] = "Server=b;Port=6033;Connect Timeout=7";
        values["ProxySql:Peers:proxysql-c:ConnectionString"] = "Server=c;Port=6033;connectiontimeout=9";

        var settings = Read(values);

        Assert.Equal(TimeSpan.FromSeconds(2), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.Peers[0].ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Peers[1].ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), settings.Peers[2].ConnectTimeout);

        // The driver's own timeout is twice each peer's, plus a second: it backs up the balancer's deadline.
        Assert.Equal(5u, new MySqlConnectionStringBuilder(settings.Peers[0].ConnectionString).ConnectionTimeout);
        Assert.Equal(15u, new MySqlConnectionStringBuilder(settings.Peers[1].ConnectionString).ConnectionTimeout);
        Assert.Equal(15u, new MySqlConnectionStringBuilder(settings.Peers[1].ProbeConnectionString).ConnectionTimeout);
        Assert.Equal(19u, new MySqlConnectionStringBuilder(settings.Peers[2].ConnectionString).ConnectionTimeout);
    }

    [Fact]
    public void Peers_are_not_pipelined_unless_a_connection_string_says_so()
    {
        var values = TestBalancers.Config();
        values["ProxySql:Peers:Edge2:ConnectionString"] = "Server=b;Port=6033;pipelining=true";

        var settings = Read(values);

        // ProxySQL 2.7 breaks MySqlConnector's pipelined BeginTransaction, so the default is off, probes included
        Assert.False(new MySqlConnectionStringBuilder(settings.Peers[0].ConnectionString).Pipelining);
        Assert.False(new MySqlConnectionStringBuilder(settings.Peers[0].ProbeConnectionString).Pipelining);
        Assert.True(new MySqlConnectionStringBuilder(settings.Peers[1].ConnectionString).Pipelining);

        values["ProxySql:ConnectionString"] += ";Pipelining=True";
        Assert.All(Read(values).Peers, p => Assert.True(new MySqlConnectionStringBuilder(p.ConnectionString).Pipelining));
    }

    [Theory]
    [InlineData("ProxySql:ConnectionString", "Database=app;Password=s3cret-pw;Connect Timeout=0")]
    [InlineData("ProxySql:Peers:Edge1:ConnectionString", "Server=a;Port=6033;Connection Timeout=0")]
    [InlineData("ProxySql:Peers:Edge1:ConnectionString", "Server=a;Port=6033;Password=s3cret-pw;Connect Timeout=2073601")]
    public void Connect_timeout_of_zero_or_over_24_days_in_a_connection_string_names_that_string(string key, string value)
    {
        var values = TestBalancers.Config();
        values[key] = value;
        var error = Invalid(values);
        Assert.Equal(key, error.Path);
        Assert.Contains("Timeout' is ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Peer_definitions_set_by_name_bind_like_positional_ones()
    {
        var peers = new[]
        {
            new ProxySqlPeerDefinition { Name = "Edge1", ConfigurationKey = "Edge1", DefaultWeight = 3 },
            new ProxySqlPeerDefinition { Name = "Edge2", ConfigurationKey = "Edge2" },
            new ProxySqlPeerDefinition("Edge3", "proxysql-c"),
        };
        var values = TestBalancers.Config();
        values.Remove("ProxySql:Peers:Edge1:Weight");
        values.Remove("ProxySql:Peers:Edge2:Weight");

        var settings = SettingsReader.Read(TestBalancers.Build(values), "ProxySql", peers, new ProxySqlDefaults());

        Assert.Equal([3, 1, 1], settings.Peers.Select(p => p.Weight));
        Assert.Equal(["Edge1", "Edge2", "Edge3"], settings.Peers.Select(p => p.Name));
    }
}
