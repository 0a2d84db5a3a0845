using ProxySql.Core;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;
using ProxySql.Configuration;

namespace ProxySql.Tests;

/// <summary>Background probing, draining and live reload over a scripted connector on fake time.</summary>
public sealed class DrainingTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedConnector _connector = new();
    private readonly FakeLoggerProvider _logs = new();
    private ILoggerFactory _loggers = null!;
    private Dictionary<string, string?> _values = null!;
    private Balancer _balancer = null!;

    private ProxySqlPeer Edge1 => _balancer.Peers[0];

    public Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _values = TestBalancers.Config("Ordered");
        _values["ProxySql:ProbeInterval"] = "1";
        _balancer = TestBalancers.Create(_connector, _time, _values, _loggers);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _balancer.DisposeAsync();
        _loggers.Dispose();
        _logs.Dispose();
    }

    private static Exception Refused() => new InvalidOperationException("Unable to connect", new SocketException((int)SocketError.ConnectionRefused));

    private async Task<string> OpenServerAsync()
    {
        var connection = await _balancer.OpenConnectionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        return new MySqlConnectionStringBuilder(connection.ConnectionString).Server;
    }

    /// <summary>Advances past one probe interval and waits for that round of probes to be settled.</summary>
    private async Task ProbeRoundAsync(string server, int expectedProbes)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Probes(server) >= expectedProbes && !_balancer.Prober.RoundRunning, $"probe #{expectedProbes} of {server} settled");
    }

    [Fact]
    public async Task Every_enabled_peer_is_probed_once_per_probe_interval()
    {
        await TestBalancers.UntilAsync(() => true, "start");
        await ProbeRoundAsync("c", 1);
        await ProbeRoundAsync("c", 2);
        Assert.Equal([2, 2, 2], new[] { _connector.Probes("a"), _connector.Probes("b"), _connector.Probes("c") });
    }

    [Fact]
    public async Task Refused_probe_drains_the_peer_clears_its_pool_and_takes_no_new_leases()
    {
        Assert.Equal("a", await OpenServerAsync());
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        await ProbeRoundAsync("a", 1);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining && _balancer.Peers[0].Pool.Retirements == 1, "Edge1 draining, its pool cleared");

        Assert.StartsWith("draining: probe refused", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal(1, Edge1.ConnectionsInUse);
        for (var i = 0; i < 5; i++)
            Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(1, _connector.Opens("a"));
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message.Contains("is Draining (refused); 1 connections still in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Successful_probe_after_a_drain_brings_the_peer_back_up()
    {
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        await ProbeRoundAsync("a", 1);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining, "Edge1 draining");

        _connector.OnProbe("a", _ => Task.CompletedTask);
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 up");
        Assert.Equal("a", await OpenServerAsync());
    }

    [Fact]
    public async Task Successful_probe_brings_a_down_peer_up_before_its_check_interval()
    {
        _connector.Throws("a", Refused);
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);

        _connector.OnProbe("a", _ => Task.CompletedTask);
        await ProbeRoundAsync("a", 1);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 up after a good probe");
    }

    [Fact]
    public async Task Silent_probe_times_out_and_drains()
    {
        _connector.OnProbe("a", ct => Task.Delay(Timeout.Infinite, ct));
        _time.Advance(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Probes("a") == 1, "probe of Edge1 under way");
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        _time.Advance(TimeSpan.FromSeconds(2));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining, "Edge1 draining after the probe's connect timeout");
        Assert.StartsWith("draining: probe timeout", Edge1.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_on_a_probe_does_not_drain()
    {
        _connector.OnProbe("a", _ => Task.FromException(new InvalidOperationException("not a network failure")));
        await ProbeRoundAsync("a", 1);
        await ProbeRoundAsync("b", 2);
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
    }

    [Fact]
    public async Task Probing_stops_when_the_balancer_is_disposed()
    {
        await ProbeRoundAsync("a", 1);
        await _balancer.DisposeAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, _connector.Probes("a"));
    }

    [Fact]
    public async Task Reload_that_disables_a_peer_drains_it_and_takes_it_out_of_rotation()
    {
        var configuration = (IConfigurationRoot)TestBalancers.Build(_values);
        _balancer.WatchConfiguration(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults());
        Assert.Equal("a", await OpenServerAsync());

        configuration["ProxySql:Peers:Edge1:Enabled"] = "false";
        configuration.Reload();

        Assert.Equal(ProxySqlPeerState.Disabled, Edge1.State);
        await TestBalancers.UntilAsync(() => _balancer.Peers[0].Pool.Retirements == 1, "Edge1's pool cleared");
        Assert.Equal("b", await OpenServerAsync());
        await ProbeRoundAsync("b", 1);
        Assert.Equal(0, _connector.Probes("a"));
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message.Contains("Edge1: disabled, draining 1 in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_that_changes_a_connection_string_retires_the_old_pool_and_starts_the_peer_afresh()
    {
        var configuration = (IConfigurationRoot)TestBalancers.Build(_values);
        _balancer.WatchConfiguration(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults());
        _connector.Throws("a", Refused);
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);

        configuration["ProxySql:Peers:Edge1:ConnectionString"] = "Server=a2;Port=6033";
        configuration.Reload();

        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Null(Edge1.LastError);
        await TestBalancers.UntilAsync(() => _balancer.Peers[0].Pool.Retirements == 2, "the old pool cleared on mark-down, then on retirement");
        Assert.Equal("a2", await OpenServerAsync());
    }

    [Fact]
    public async Task Invalid_reload_keeps_the_last_good_configuration_and_logs_the_path()
    {
        var configuration = (IConfigurationRoot)TestBalancers.Build(_values);
        _balancer.WatchConfiguration(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults());
        configuration["ProxySql:Peers:Edge1:Weight"] = "-3";
        configuration["ProxySql:Peers:Edge2:Weight"] = "5";
        configuration.Reload();

        Assert.Equal(1, Edge1.Weight);
        Assert.Equal(1, _balancer.Peers[1].Weight);
        Assert.Equal("a", await OpenServerAsync());
        var rejected = Assert.Single(_logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
        Assert.Contains("ProxySql:Peers:Edge1:Weight", rejected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_reload_applies_weights_and_strategy_live()
    {
        var configuration = (IConfigurationRoot)TestBalancers.Build(_values);
        _balancer.WatchConfiguration(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults());
        configuration["ProxySql:Peers:Edge1:Weight"] = "0";
        configuration["ProxySql:Strategy"] = "RoundRobin";
        configuration.Reload();

        Assert.Equal(0, Edge1.Weight);
        Assert.Equal(ProxySqlStrategy.RoundRobin, _balancer.Settings.Strategy);
        var servers = new List<string>();
        for (var i = 0; i < 4; i++)
            servers.Add(await OpenServerAsync());
        Assert.DoesNotContain("a", servers);
        Assert.Equal(2, servers.Count(s => s == "b"));
    }
}
