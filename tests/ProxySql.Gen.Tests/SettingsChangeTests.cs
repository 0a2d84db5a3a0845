using ProxySql.Configuration;

namespace ProxySql.Tests;

/// <summary>The pure diff a reload acts on and logs: settings bound by the real reader from two configurations.</summary>
public sealed class SettingsChangeTests
{
    private static BalancerSettings Read(Dictionary<string, string?> values, IReadOnlyList<ProxySqlPeerDefinition>? peers = null) =>
        SettingsReader.Read(TestBalancers.Build(values), "ProxySql", peers ?? TestBalancers.ThreePeers, new ProxySqlDefaults());

    private static SettingsChange Change(Action<Dictionary<string, string?>> edit)
    {
        var before = TestBalancers.Config();
        var after = TestBalancers.Config();
        edit(after);
        return SettingsChange.Between(Read(before), Read(after));
    }

    [Fact]
    public void Same_configuration_is_no_change()
    {
        var change = Change(_ => { });

        Assert.True(change.IsEmpty);
        Assert.Equal(BalancerSettingChanges.None, change.Settings);
        Assert.Empty(change.Peers);
        Assert.Equal("nothing changed", change.Describe());
    }

    [Fact]
    public void Unrelated_keys_elsewhere_in_the_root_configuration_are_no_change()
    {
        var change = Change(values => values["Logging:LogLevel:Default"] = "Debug");

        Assert.True(change.IsEmpty);
    }

    [Fact]
    public void Strategy_only_is_a_settings_change_with_no_peer_change()
    {
        var change = Change(values => values["ProxySql:Strategy"] = "Ordered");

        Assert.False(change.IsEmpty);
        Assert.Equal(BalancerSettingChanges.Strategy, change.Settings);
        Assert.Empty(change.Peers);
        Assert.Equal("Strategy LoadAware -> Ordered", change.Describe());
    }

    [Fact]
    public void Timeouts_and_new_settings_are_each_named_with_old_and_new_values()
    {
        var change = Change(values =>
        {
            values["ProxySql:HedgeDelay"] = "0.25";
            values["ProxySql:ProbeTimeout"] = "0.5";
            values["ProxySql:MaxHedgedAttempts"] = "2";
            values["ProxySql:SlowStartWindow"] = "0";
            values["ProxySql:ShutdownSessionsOnMarkDown"] = "true";
            values["ProxySql:ProbeQuery"] = "DO 1";
        });

        Assert.Equal(
            BalancerSettingChanges.HedgeDelay | BalancerSettingChanges.ProbeTimeout | BalancerSettingChanges.MaxHedgedAttempts
            | BalancerSettingChanges.SlowStartWindow | BalancerSettingChanges.ShutdownSessionsOnMarkDown | BalancerSettingChanges.ProbeQuery,
            change.Settings);
        Assert.Empty(change.Peers);
        Assert.Equal(
            "HedgeDelay 0.1 s -> 0.25 s; ProbeQuery 'SELECT 1' -> 'DO 1'; ProbeTimeout 1 s -> 0.5 s; MaxHedgedAttempts 1 -> 2; SlowStartWindow 10 s -> 0 s; ShutdownSessionsOnMarkDown false -> true",
            change.Describe());
    }

    [Fact]
    public void Shared_connect_timeout_changes_the_balancer_setting_and_every_peer_that_inherits_it()
    {
        var change = Change(values =>
        {
            values["ProxySql:ConnectTimeout"] = "5";
            values["ProxySql:Peers:Edge2:ConnectionString"] = "Server=b;Port=6033;Connect Timeout=2";
        });

        Assert.Equal(BalancerSettingChanges.ConnectTimeout, change.Settings);
        Assert.Equal(["Edge1", "Edge3"], change.Peers.Select(p => p.Name));
        Assert.All(change.Peers, p => Assert.Equal(PeerChanges.ConnectionString | PeerChanges.ConnectTimeout, p.Changes));
        Assert.Equal("ConnectTimeout 2 s -> 5 s; Edge1: connection string changed (same endpoint), connect timeout 2 s -> 5 s; Edge3: connection string changed (same endpoint), connect timeout 2 s -> 5 s", change.Describe());
    }

    [Fact]
    public void Peer_weight_enabled_and_endpoint_changes_are_per_peer()
    {
        var change = Change(values =>
        {
            values["ProxySql:Peers:Edge1:Weight"] = "3";
            values["ProxySql:Peers:Edge2:Enabled"] = "false";
            values["ProxySql:Peers:proxysql-c:ConnectionString"] = "Server=c2;Port=6034";
        });

        Assert.Equal(BalancerSettingChanges.None, change.Settings);
        Assert.Collection(
            change.Peers,
            p => Assert.Equal(("Edge1", PeerChanges.Weight), (p.Name, p.Changes)),
            p => Assert.Equal(("Edge2", PeerChanges.Disabled), (p.Name, p.Changes)),
            p => Assert.Equal(("Edge3", PeerChanges.ConnectionString | PeerChanges.Endpoint), (p.Name, p.Changes)));
        Assert.Equal("Edge1: weight 1 -> 3; Edge2: disabled; Edge3: connection string changed (c:6033 -> c2:6034)", change.Describe());
    }

    [Fact]
    public void Re_enabling_is_told_apart_from_disabling()
    {
        var disabled = TestBalancers.Config();
        disabled["ProxySql:Peers:Edge2:Enabled"] = "false";

        var change = SettingsChange.Between(Read(disabled), Read(TestBalancers.Config()));

        Assert.Equal(PeerChanges.Enabled, Assert.Single(change.Peers).Changes);
        Assert.True(change.Peers[0].Has(PeerChanges.Enabled));
        Assert.False(change.Peers[0].Has(PeerChanges.Disabled));
    }

    [Fact]
    public void Password_only_change_retires_every_pool_but_prints_no_secret()
    {
        var change = Change(values => values["ProxySql:ConnectionString"] = "Database=app;User ID=app;Password=n3w-s3cret");

        Assert.Equal(BalancerSettingChanges.None, change.Settings);
        Assert.Equal(3, change.Peers.Count);
        Assert.All(change.Peers, p => Assert.Equal(PeerChanges.ConnectionString, p.Changes));
        Assert.DoesNotContain("s3cret", change.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Shared_connection_string_change_is_named_without_its_text()
    {
        var change = Change(values => values["ProxySql:ConnectionString"] = "Database=other;User ID=app;Password=s3cret-pw");

        Assert.True(change.Has(BalancerSettingChanges.SharedConnectionString));
        Assert.StartsWith("shared connection string changed; Edge1: connection string changed (same endpoint)", change.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("other", change.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Peers_matched_by_name_are_added_and_removed()
    {
        ProxySqlPeerDefinition[] before = [new("Edge1", "Edge1"), new("Edge2", "Edge2")];
        ProxySqlPeerDefinition[] after = [new("Edge1", "Edge1"), new("Edge3", "proxysql-c")];
        var values = TestBalancers.Config(null, ("Edge1", "a", 1), ("Edge2", "b", 1), ("proxysql-c", "c", 1));
        var beforeValues = new Dictionary<string, string?>(values);
        beforeValues.Remove("ProxySql:Peers:proxysql-c:ConnectionString");
        beforeValues.Remove("ProxySql:Peers:proxysql-c:Weight");
        var afterValues = new Dictionary<string, string?>(values);
        afterValues.Remove("ProxySql:Peers:Edge2:ConnectionString");
        afterValues.Remove("ProxySql:Peers:Edge2:Weight");

        var change = SettingsChange.Between(Read(beforeValues, before), Read(afterValues, after));

        Assert.Collection(
            change.Peers,
            p => Assert.Equal(("Edge3", PeerChanges.Added), (p.Name, p.Changes)),
            p => Assert.Equal(("Edge2", PeerChanges.Removed), (p.Name, p.Changes)));
        Assert.Null(change.Peers[0].Previous);
        Assert.Null(change.Peers[1].Next);
        Assert.Equal("Edge3: added; Edge2: removed", change.Describe());
    }
}
