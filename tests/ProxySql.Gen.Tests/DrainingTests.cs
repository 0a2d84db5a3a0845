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
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Probes(server) >= expectedProbes && !_balancer.Prober.RoundRunning, $"probe #{expectedProbes} of {server} settled");
    }

    /// <summary>
    /// Advances a quarter second at a time until <paramref name="condition"/> holds: a wait's timer may be registered
    /// just after the test saw its operation start, and one big step would then land before its deadline.
    /// </summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what)
    {
        for (var step = 0; step < 40 && !condition(); step++)
        {
            time.AdvanceSteadily(TimeSpan.FromSeconds(0.25));
            await Task.Delay(2);
        }

        await TestBalancers.UntilAsync(condition, what);
    }

    private static Task Hang(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

    [Fact]
    public async Task Every_enabled_peer_is_probed_at_start_and_then_once_per_probe_interval()
    {
        // The first round ran at construction: one probe connect and one statement per peer.
        Assert.Equal([1, 1, 1], new[] { _connector.Probes("a"), _connector.Probes("b"), _connector.Probes("c") });
        Assert.Equal([1, 1, 1], new[] { _connector.Statements("a"), _connector.Statements("b"), _connector.Statements("c") });
        Assert.All(_balancer.Peers, p => Assert.Equal(ProxySqlPeerState.Up, p.State));

        // Then a listener check and a statement on the kept session per round.
        await ProbeRoundAsync("c", 2);
        await ProbeRoundAsync("c", 3);
        Assert.Equal([3, 3, 3], new[] { _connector.Probes("a"), _connector.Probes("b"), _connector.Probes("c") });
        Assert.Equal([3, 3, 3], new[] { _connector.Statements("a"), _connector.Statements("b"), _connector.Statements("c") });
        Assert.Equal(0, _connector.Opens("a"));
    }

    [Fact]
    public async Task Peers_are_Unknown_and_serving_until_their_first_probe_answers()
    {
        var connector = new ScriptedConnector();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connector.OnProbe("a", _ => first.Task);
        await using var balancer = TestBalancers.Create(connector, _time, _values, waitForFirstCheck: false);
        await TestBalancers.UntilAsync(() => connector.Probes("a") == 1, "first probe of Edge1 under way");
        Assert.Equal(ProxySqlPeerState.Unknown, balancer.Peers[0].State);

        // Unknown takes opens (Ordered picks it first), and an open that succeeds does not mark it Up: only a probe does.
        var connection = await balancer.OpenConnectionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("a", new MySqlConnectionStringBuilder(connection.ConnectionString).Server);
        Assert.Equal(ProxySqlPeerState.Unknown, balancer.Peers[0].State);

        first.SetResult();
        await TestBalancers.UntilAsync(() => balancer.Peers[0].State == ProxySqlPeerState.Up, "Edge1 Up after its first probe");
        Assert.Equal(DateTimeOffset.MinValue, balancer.Peers[0].Health.RecoveredAt);
    }

    [Fact]
    public async Task Refused_probe_drains_the_peer_clears_its_pool_and_takes_no_new_leases()
    {
        Assert.Equal("a", await OpenServerAsync());
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining && _balancer.Peers[0].Pool.Retirements == 1, "Edge1 draining, its pool retired");

        Assert.Equal(ProxySqlPeerStateReason.Paused, Edge1.StateReason);
        Assert.StartsWith("paused:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow(), Edge1.LastErrorAt);
        Assert.Equal(1, Edge1.ConnectionsInUse);
        for (var i = 0; i < 5; i++)
            Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(1, _connector.Opens("a"));
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message.Contains("is Draining (paused); 1 connections still in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Paused_peer_stays_Draining_while_its_listener_refuses_after_the_kept_session_was_closed()
    {
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining, "Edge1 draining");

        // The kept session was closed so the node can drain: later rounds connect afresh, are refused, and prove no crash.
        await ProbeRoundAsync("a", 3);
        await ProbeRoundAsync("a", 4);
        Assert.Equal(ProxySqlPeerState.Draining, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Paused, Edge1.StateReason);
        Assert.Equal(1, Edge1.Pool.Retirements);
    }

    [Fact]
    public async Task Refusal_of_an_open_that_began_before_the_pause_leaves_the_peer_Draining()
    {
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining, "Edge1 draining");

        // What the open path does when an attempt started while Edge1 was Up is refused after the pause was seen.
        _balancer.StateChanges.MarkDown(Edge1, FailureKind.Refused, ProxySqlPeerStateReason.Refused, Refused());

        Assert.Equal(ProxySqlPeerState.Draining, Edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.Paused, Edge1.StateReason);

        // A node that really died under its sessions still leaves Draining for Down.
        _balancer.StateChanges.MarkDown(Edge1, FailureKind.EndOfStream, ProxySqlPeerStateReason.ConnectionLost, new EndOfStreamException("gone"));
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);
    }

    [Fact]
    public async Task Successful_probe_after_a_drain_brings_the_peer_back_up_and_keeps_the_last_error()
    {
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Draining, "Edge1 draining");
        var pausedAt = _time.GetUtcNow();

        _connector.OnProbe("a", _ => Task.CompletedTask);
        await ProbeRoundAsync("a", 3);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 up");
        Assert.Equal(ProxySqlPeerStateReason.None, Edge1.StateReason);
        Assert.StartsWith("paused:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal(pausedAt, Edge1.LastErrorAt);
        Assert.Equal(_time.GetUtcNow(), Edge1.Health.RecoveredAt);
        Assert.Equal("a", await OpenServerAsync());
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message.Contains("Edge1 (a:6033) answers probes again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_listener_whose_kept_session_does_not_answer_is_a_crash_not_a_pause()
    {
        Assert.Equal("a", await OpenServerAsync());
        _connector.OnProbe("a", _ => Task.FromException(Refused()));
        _connector.PingAnswers("a", false);
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down && Edge1.Pool.Retirements == 1, "Edge1 Down, its pool retired");
        Assert.Equal(ProxySqlPeerStateReason.Refused, Edge1.StateReason);
        Assert.StartsWith("refused:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal("b", await OpenServerAsync());

        // Back: the next round connects a new probe session, runs the statement, and brings it Up.
        _connector.OnProbe("a", _ => Task.CompletedTask);
        await ProbeRoundAsync("a", 3);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 up");
        Assert.StartsWith("refused:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal("a", await OpenServerAsync());
    }

    [Fact]
    public async Task Probe_statement_that_times_out_marks_the_peer_backend_unavailable_until_statements_succeed()
    {
        _connector.OnStatement("a", Hang);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Statements("a") == 2, "probe statement on Edge1 under way");
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);

        // The probe timeout (1 s) is well under ProxySQL's 10 s hold: the node answers handshakes but no backend.
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down && Edge1.Pool.Retirements == 1, "Edge1 Down after the probe timeout");
        Assert.Equal(ProxySqlPeerStateReason.BackendUnavailable, Edge1.StateReason);
        Assert.StartsWith("backend-unavailable:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal("b", await OpenServerAsync());

        await RecoversWhenStatementsSucceedAsync();
    }

    [Fact]
    public async Task Probe_statement_late_while_the_peers_leases_keep_returning_is_no_verdict_and_a_later_silent_one_is()
    {
        // A loaded machine: the probe is late, yet the application's leases on Edge1 come back meanwhile.
        _connector.OnStatement("a", Hang);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Statements("a") == 2 && _balancer.Prober.RoundRunning, "probe statement on Edge1 under way");
        _time.AdvanceSteadily(TimeSpan.FromSeconds(0.5));
        Edge1.Load.Returned(_time.GetTimestamp(), _time.TimestampFrequency, stillInUse: true);
        await AdvanceUntilAsync(_time, () => !_balancer.Prober.RoundRunning, "the late probe settled");
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Equal(0, Edge1.Pool.Retirements);

        // Nothing returns during the next late probe: that is the node holding statements, its backends gone.
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Statements("a") == 3 && _balancer.Prober.RoundRunning, "next probe statement on Edge1 under way");
        await AdvanceUntilAsync(_time, () => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after a probe timeout with no lease returned");
        Assert.Equal(ProxySqlPeerStateReason.BackendUnavailable, Edge1.StateReason);
    }

    [Fact]
    public async Task Probe_statement_failing_with_9001_marks_the_peer_backend_unavailable_until_statements_succeed()
    {
        _connector.OnStatement("a", _ => Task.FromException(ServerErrors.Create(9001, "Max connect timeout reached while reaching hostgroup 0 after 10000ms")));
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after 9001");
        Assert.Equal(ProxySqlPeerStateReason.BackendUnavailable, Edge1.StateReason);
        Assert.StartsWith("backend-unavailable: Max connect timeout", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal(1, Edge1.Pool.Retirements);

        await RecoversWhenStatementsSucceedAsync();
    }

    [Fact]
    public async Task Probe_statement_the_server_rejects_still_proves_a_backend_answered()
    {
        _connector.OnStatement("a", _ => Task.FromException(ServerErrors.Create(1064, "You have an error in your SQL syntax")));
        await ProbeRoundAsync("a", 2);
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message.Contains("Fix ProbeQuery", StringComparison.Ordinal));
    }

    /// <summary>Statements answer again: the next round opens a new probe session (the stuck one was given up) and brings Edge1 Up.</summary>
    private async Task RecoversWhenStatementsSucceedAsync()
    {
        var statements = _connector.Statements("a");
        _connector.OnStatement("a", _ => Task.CompletedTask);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 up once its probe statement succeeds");
        Assert.Equal(statements + 1, _connector.Statements("a"));
        Assert.StartsWith("backend-unavailable:", Edge1.LastError, StringComparison.Ordinal);
        Assert.Equal("a", await OpenServerAsync());
    }

    [Fact]
    public async Task Successful_probe_brings_a_down_peer_up_before_its_check_interval()
    {
        _connector.Throws("a", Refused);
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);

        _connector.OnProbe("a", _ => Task.CompletedTask);
        await ProbeRoundAsync("a", 2);
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 up after a good probe");
        Assert.True(_time.GetUtcNow() < Edge1.Health.RetryAt, "recovered by the background round before its retry time");
    }

    [Fact]
    public async Task Silent_listener_times_out_and_marks_the_peer_down_for_a_timeout_not_a_pause()
    {
        // A silent node: its listener does not answer, and neither does the session the probe keeps.
        _connector.OnProbe("a", Hang);
        _connector.PingAnswers("a", false);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => _connector.Probes("a") == 2, "listener check of Edge1 under way");
        Assert.Equal(ProxySqlPeerState.Up, Edge1.State);
        _time.AdvanceSteadily(TimeSpan.FromSeconds(2));
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Down, "Edge1 Down after the probe's connect timeout");
        Assert.Equal(ProxySqlPeerStateReason.Timeout, Edge1.StateReason);
        Assert.StartsWith("timeout:", Edge1.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_probe_connect_marks_a_new_peer_down_for_a_timeout()
    {
        var connector = new ScriptedConnector();
        connector.OnProbe("a", Hang);
        await using var balancer = TestBalancers.Create(connector, _time, _values, waitForFirstCheck: false);
        await TestBalancers.UntilAsync(() => connector.Probes("a") == 1, "first probe connect of Edge1 under way");
        await AdvanceUntilAsync(_time, () => balancer.Peers[0].State == ProxySqlPeerState.Down, "Edge1 Down after the connect timeout");
        Assert.Equal(ProxySqlPeerStateReason.Timeout, balancer.Peers[0].StateReason);
        Assert.Equal(0, connector.Statements("a"));
    }

    [Theory]
    [InlineData(1045, ProxySqlPeerStateReason.Configuration, "configuration:")]
    [InlineData(1044, ProxySqlPeerStateReason.Configuration, "configuration:")]
    [InlineData(1049, ProxySqlPeerStateReason.Configuration, "configuration:")]
    public async Task Server_error_on_a_probe_connect_marks_the_peer_down_and_keeps_its_live_sessions(int number, ProxySqlPeerStateReason reason, string errorPrefix)
    {
        var connector = new ScriptedConnector();
        connector.OnProbe("a", _ => Task.FromException(ServerErrors.Create(number, "server says no")));
        await using var balancer = TestBalancers.Create(connector, _time, _values, _loggers);
        var edge1 = balancer.Peers[0];
        Assert.Equal(ProxySqlPeerState.Down, edge1.State);
        Assert.Equal(reason, edge1.StateReason);
        Assert.StartsWith(errorPrefix + " server says no", edge1.LastError, StringComparison.Ordinal);

        // Its sessions are not dead (credentials or a connection limit), so its pool is not retired; opens go elsewhere.
        Assert.Equal(0, edge1.Pool.Retirements);
        var connection = await balancer.OpenConnectionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("b", new MySqlConnectionStringBuilder(connection.ConnectionString).Server);
        Assert.Equal(0, connector.Opens("a"));
    }

    [Fact]
    public async Task Full_node_is_down_for_too_many_connections_only_while_its_pooled_sessions_cannot_serve_either()
    {
        var connector = new ScriptedConnector();
        connector.OnProbe("a", _ => Task.FromException(ServerErrors.Create(1040, "Too many connections")));
        connector.Throws("a", () => ServerErrors.Create(1040, "Too many connections"));
        await using var balancer = TestBalancers.Create(connector, _time, _values, _loggers);
        var edge1 = balancer.Peers[0];
        Assert.Equal(ProxySqlPeerState.Down, edge1.State);
        Assert.Equal(ProxySqlPeerStateReason.TooManyConnections, edge1.StateReason);
        Assert.StartsWith("too-many-connections: Too many connections", edge1.LastError, StringComparison.Ordinal);

        // Its sessions are not dead, so its pool is not retired; opens go elsewhere.
        Assert.Equal(0, edge1.Pool.Retirements);
        var connection = await balancer.OpenConnectionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("b", new MySqlConnectionStringBuilder(connection.ConnectionString).Server);

        // New connections still refused with 1040, but a pooled session serves again: the node is full, not gone.
        connector.Succeeds("a");
        _time.AdvanceSteadily(TimeSpan.FromSeconds(1));
        await TestBalancers.UntilAsync(() => edge1.State == ProxySqlPeerState.Up, "Edge1 Up through a pooled session");
        Assert.True(connector.Statements("a") >= 1);
    }

    [Fact]
    public async Task Probing_stops_when_the_balancer_is_disposed()
    {
        await ProbeRoundAsync("a", 2);
        await _balancer.DisposeAsync();
        _time.AdvanceSteadily(TimeSpan.FromSeconds(5));
        await Task.Delay(20);
        Assert.Equal(2, _connector.Probes("a"));
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
        Assert.Equal(ProxySqlPeerStateReason.Disabled, Edge1.StateReason);
        await TestBalancers.UntilAsync(() => _balancer.Peers[0].Pool.Retirements == 1, "Edge1's pool retired");
        Assert.Equal("b", await OpenServerAsync());
        var probesBefore = _connector.Probes("a");
        await ProbeRoundAsync("b", _connector.Probes("b") + 1);
        await ProbeRoundAsync("b", _connector.Probes("b") + 1);
        Assert.Equal(probesBefore, _connector.Probes("a"));
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message == "ProxySQL configuration reloaded: Edge1: disabled");
    }

    [Fact]
    public async Task Reload_that_changes_a_connection_string_retires_the_old_pool_and_starts_the_peer_afresh()
    {
        var configuration = (IConfigurationRoot)TestBalancers.Build(_values);
        _balancer.WatchConfiguration(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults());
        _connector.Throws("a", Refused);
        Assert.Equal("b", await OpenServerAsync());
        Assert.Equal(ProxySqlPeerState.Down, Edge1.State);

        // The old endpoint's statements would fail: Edge1 comes Up only if its probe reaches the new one.
        _connector.OnStatement("a", _ => Task.FromException(new EndOfStreamException("old endpoint")));
        var statementsOnOldEndpoint = _connector.Statements("a");
        configuration["ProxySql:Peers:Edge1:ConnectionString"] = "Server=a2;Port=6033";
        configuration.Reload();

        // Checked at once at the new endpoint (Unknown until then, serving), the old error kept as history.
        Assert.NotEqual(ProxySqlPeerState.Down, Edge1.State);
        Assert.StartsWith("refused:", Edge1.LastError, StringComparison.Ordinal);
        await TestBalancers.UntilAsync(() => _balancer.Peers[0].Pool.Retirements == 2, "the old pool retired on mark-down, then on the change");
        Assert.Equal("a2", await OpenServerAsync());
        Assert.Contains(_logs.Collector.GetSnapshot(), r => r.Message == "ProxySQL configuration reloaded: Edge1: connection string changed (a:6033 -> a2:6033)");

        // The new endpoint is checked at once, not only at the next round.
        await TestBalancers.UntilAsync(() => Edge1.State == ProxySqlPeerState.Up, "Edge1 Up after its probe of a2");
        Assert.Equal(1, _connector.Statements("a2"));
        Assert.Equal(0, _connector.Statements("a") - statementsOnOldEndpoint);
    }

    [Fact]
    public async Task Reload_for_an_unrelated_change_logs_nothing_and_changes_nothing()
    {
        var configuration = (IConfigurationRoot)TestBalancers.Build(_values);
        _balancer.WatchConfiguration(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults());
        var settings = _balancer.Settings;
        configuration["Logging:LogLevel:Default"] = "Warning";
        configuration.Reload();

        Assert.DoesNotContain(_logs.Collector.GetSnapshot(), r => r.Message.Contains("configuration reload", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, Edge1.Pool.Retirements);
        Assert.Equal(settings.Peers, _balancer.Settings.Peers);
        Assert.All(_balancer.Peers, p => Assert.Equal(ProxySqlPeerState.Up, p.State));
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
