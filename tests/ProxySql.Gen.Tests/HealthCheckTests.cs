using ProxySql.Core;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ProxySql.Tests;

public sealed class HealthCheckTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedConnector _connector = new();
    private Balancer _balancer = null!;

    public Task InitializeAsync()
    {
        _balancer = TestBalancers.Create(_connector, _time, TestBalancers.Config("Ordered"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _balancer.DisposeAsync();

    private static readonly DateTimeOffset s_at = new(2026, 1, 1, 9, 30, 0, TimeSpan.Zero);

    private static ProxySqlPeerReport Peer(string name, ProxySqlPeerState state, ProxySqlPeerStateReason reason = ProxySqlPeerStateReason.None, string? error = null, int inUse = 0, bool enabled = true) =>
        new(name, state, reason, error, error is null ? null : s_at, inUse, enabled);

    private static HealthCheckResult Evaluate(params ProxySqlPeerReport[] peers) => ProxySqlHealthCheck.Evaluate(peers, HealthStatus.Unhealthy);

    private static IReadOnlyDictionary<string, object?> DataOf(HealthCheckResult result, string peer) =>
        Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.Data[peer]);

    [Fact]
    public void All_enabled_peers_up_is_healthy()
    {
        var result = Evaluate(Peer("Edge1", ProxySqlPeerState.Up, inUse: 2), Peer("Edge2", ProxySqlPeerState.Up));
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("2 of 2 enabled ProxySQL peers Up: Edge1 Up (2 in use); Edge2 Up (0 in use)", result.Description);
    }

    [Fact]
    public void Peers_not_checked_yet_are_not_up_so_a_fresh_start_is_not_healthy()
    {
        var fresh = Evaluate(Peer("Edge1", ProxySqlPeerState.Unknown), Peer("Edge2", ProxySqlPeerState.Unknown));
        Assert.Equal(HealthStatus.Unhealthy, fresh.Status);
        Assert.Equal("0 of 2 enabled ProxySQL peers Up: Edge1 Unknown (not checked yet); Edge2 Unknown (not checked yet)", fresh.Description);
        Assert.Equal("Unknown", DataOf(fresh, "Edge1")["state"]);

        var halfChecked = Evaluate(Peer("Edge1", ProxySqlPeerState.Up), Peer("Edge2", ProxySqlPeerState.Unknown));
        Assert.Equal(HealthStatus.Degraded, halfChecked.Status);
    }

    [Fact]
    public void A_peer_disabled_on_purpose_does_not_degrade_the_app()
    {
        var result = Evaluate(Peer("Edge1", ProxySqlPeerState.Up), Peer("Edge2", ProxySqlPeerState.Disabled, ProxySqlPeerStateReason.Disabled, enabled: false));
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("1 of 1 enabled ProxySQL peers Up: Edge1 Up (0 in use); Edge2 Disabled (0 in use)", result.Description);
        Assert.Equal(false, DataOf(result, "Edge2")["enabled"]);
        Assert.Equal("disabled", DataOf(result, "Edge2")["reason"]);
    }

    [Fact]
    public void Only_disabled_peers_is_the_failure_status()
    {
        var result = Evaluate(Peer("Edge1", ProxySqlPeerState.Disabled, ProxySqlPeerStateReason.Disabled, enabled: false));
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    [Fact]
    public void Some_peers_out_is_degraded_and_the_data_carries_state_reason_last_error_time_and_use()
    {
        var result = Evaluate(
            Peer("Edge1", ProxySqlPeerState.Down, ProxySqlPeerStateReason.Refused, "refused: Unable to connect"),
            Peer("Edge2", ProxySqlPeerState.Up, error: "timeout: an old one", inUse: 5),
            Peer("Edge3", ProxySqlPeerState.Draining, ProxySqlPeerStateReason.Paused, "paused: probe refused", inUse: 3));
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("Edge1 Down, refused (0 in use): refused: Unable to connect at 2026-01-01T09:30:00.0000000Z", result.Description, StringComparison.Ordinal);
        Assert.Contains("Edge3 Draining, paused (3 in use): paused: probe refused", result.Description, StringComparison.Ordinal);

        // An Up peer's old error is history: in the data, not in the description.
        Assert.Contains("Edge2 Up (5 in use);", result.Description, StringComparison.Ordinal);
        var edge1 = DataOf(result, "Edge1");
        Assert.Equal("Down", edge1["state"]);
        Assert.Equal("refused", edge1["reason"]);
        Assert.Equal("refused: Unable to connect", edge1["lastError"]);
        Assert.Equal("2026-01-01T09:30:00.0000000Z", edge1["lastErrorAt"]);
        Assert.Equal(0, edge1["inUse"]);
        var edge2 = DataOf(result, "Edge2");
        Assert.Equal("timeout: an old one", edge2["lastError"]);
        Assert.Equal(5, edge2["inUse"]);
        Assert.Equal("paused", DataOf(result, "Edge3")["reason"]);
    }

    [Fact]
    public void No_enabled_peer_up_reports_the_registrations_failure_status()
    {
        ProxySqlPeerReport[] peers = [Peer("Edge1", ProxySqlPeerState.Down, ProxySqlPeerStateReason.Timeout, "timeout"), Peer("Edge2", ProxySqlPeerState.Draining, ProxySqlPeerStateReason.Paused)];
        Assert.Equal(HealthStatus.Unhealthy, ProxySqlHealthCheck.Evaluate(peers, HealthStatus.Unhealthy).Status);
        Assert.Equal(HealthStatus.Degraded, ProxySqlHealthCheck.Evaluate(peers, HealthStatus.Degraded).Status);
    }

    [Fact]
    public void The_data_serializes_with_the_standard_json_writer()
    {
        var result = Evaluate(Peer("Edge1", ProxySqlPeerState.Down, ProxySqlPeerStateReason.BackendUnavailable, "backend-unavailable: 9001", inUse: 1));
        var json = System.Text.Json.JsonSerializer.Serialize(result.Data);
        Assert.Equal("""{"Edge1":{"state":"Down","reason":"backend-unavailable","lastError":"backend-unavailable: 9001","lastErrorAt":"2026-01-01T09:30:00.0000000Z","inUse":1,"enabled":true}}""", json);
    }

    [Fact]
    public async Task Container_creates_the_databases_with_its_time_provider_and_runs_the_health_check()
    {
        var configuration = TestBalancers.Build(TestBalancers.Config());
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging();
        services.AddProxySqlDatabases<TestDatabases>(configuration);
        services.AddHealthChecks().AddProxySqlHealthCheck<TestDatabases>("proxysql");
        await using var provider = services.BuildServiceProvider();

        var databases = provider.GetRequiredService<TestDatabases>();
        Assert.Same(databases, provider.GetRequiredService<TestDatabases>());
        Assert.Same(_time, databases.Time);
        Assert.Same(databases.DataSource, provider.GetRequiredService<System.Data.Common.DbDataSource>());
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["proxysql"];
        Assert.Equal(ProxySqlHealthCheck.Evaluate(databases.Peers).Status, entry.Status);
        Assert.Equal(["Edge1", "Edge2", "Edge3"], entry.Data.Keys.Order(StringComparer.Ordinal));
    }

    /// <summary>What the generator emits, by hand.</summary>
    private sealed class TestDatabases : ProxySqlDatabases, IProxySqlDatabases<TestDatabases>
    {
        private TestDatabases(ProxySqlDatabasesContext context, TimeProvider? time)
            : base(context) => Time = time;

        public TimeProvider? Time { get; }

        public static TestDatabases Create(IConfiguration configuration, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null) =>
            new(CreateContext(configuration, "ProxySql", TestBalancers.ThreePeers, new ProxySqlDefaults(), loggerFactory, timeProvider), timeProvider);
    }
}
