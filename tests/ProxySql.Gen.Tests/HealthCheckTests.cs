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

    private static Exception Refused() => new InvalidOperationException("Unable to connect", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public void All_peers_up_is_healthy()
    {
        var result = ProxySqlHealthCheck.Evaluate(_balancer.Peers);
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("3 of 3 ProxySQL peers Up: Edge1 Up (0 in use); Edge2 Up (0 in use); Edge3 Up (0 in use)", result.Description);
    }

    [Fact]
    public async Task Some_peers_not_up_is_degraded_and_names_them_with_their_error()
    {
        _connector.Throws("a", Refused);
        await _balancer.OpenConnectionAsync();
        _balancer.Peers[2].Health.MarkDraining(_time.GetUtcNow(), "paused: no");
        var result = ProxySqlHealthCheck.Evaluate(_balancer.Peers);
        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("Edge1 Down (0 in use): refused: Unable to connect", result.Description, StringComparison.Ordinal);
        Assert.Contains("Edge3 Draining (0 in use): draining: probe refused: no", result.Description, StringComparison.Ordinal);
        Assert.Equal("Up", result.Data["Edge2"]);
    }

    [Fact]
    public async Task No_peer_able_to_serve_reports_the_failure_status()
    {
        _connector.Throws("a", Refused);
        _connector.Throws("b", Refused);
        _connector.Throws("c", Refused);
        await Assert.ThrowsAsync<ProxySqlUnavailableException>(async () => await _balancer.OpenConnectionAsync());
        Assert.Equal(HealthStatus.Unhealthy, ProxySqlHealthCheck.Evaluate(_balancer.Peers).Status);
        Assert.Equal(HealthStatus.Degraded, ProxySqlHealthCheck.Evaluate(_balancer.Peers, HealthStatus.Degraded).Status);
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
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Entries["proxysql"].Status);
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
