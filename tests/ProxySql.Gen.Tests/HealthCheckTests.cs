using ProxySql.Core;
using System.Net;
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
        Assert.Contains("Edge3 Draining (0 in use): paused: no", result.Description, StringComparison.Ordinal);
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
    public async Task Peers_not_checked_yet_are_not_reported_up()
    {
        var connector = new ScriptedConnector();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connector.OnProbe("a", _ => first.Task);
        await using var balancer = TestBalancers.Create(connector, _time, TestBalancers.Config("Ordered"), waitForFirstCheck: false);
        await TestBalancers.UntilAsync(() => balancer.Peers[1].State == ProxySqlPeerState.Up && balancer.Peers[2].State == ProxySqlPeerState.Up, "Edge2 and Edge3 checked");

        var result = ProxySqlHealthCheck.Evaluate(balancer.Peers);
        Assert.NotEqual(HealthStatus.Healthy, result.Status);
        Assert.Contains("Edge1 Unknown", result.Description, StringComparison.Ordinal);
        Assert.Equal("Unknown", result.Data["Edge1"]);

        first.SetResult();
        await TestBalancers.UntilAsync(() => balancer.Peers[0].State == ProxySqlPeerState.Up, "Edge1 checked");
        Assert.Equal(HealthStatus.Healthy, ProxySqlHealthCheck.Evaluate(balancer.Peers).Status);
    }

    [Fact]
    public async Task Container_creates_the_databases_with_its_time_provider_and_runs_the_health_check()
    {
        // Real connector: each peer points at a loopback port nothing listens on, so every first probe is refused.
        var values = TestBalancers.Config();
        foreach (var key in new[] { "Edge1", "Edge2", "proxysql-c" })
            values[$"ProxySql:Peers:{key}:ConnectionString"] = $"Server=127.0.0.1;Port={ClosedLoopbackPort()}";
        var configuration = TestBalancers.Build(values);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddLogging();
        services.AddProxySqlDatabases<TestDatabases>(configuration);
        services.AddHealthChecks().AddProxySqlHealthCheck<TestDatabases>("proxysql");
        await using var provider = services.BuildServiceProvider();

        var databases = provider.GetRequiredService<TestDatabases>();
        Assert.Same(databases, provider.GetRequiredService<TestDatabases>());
        Assert.Same(_time, databases.Time);
        await TestBalancers.UntilAsync(() => databases.Peers.All(p => p.State == ProxySqlPeerState.Down), "every peer's first probe refused");
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var entry = report.Entries["proxysql"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("Edge1 Down (0 in use): refused", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", entry.Description, StringComparison.Ordinal);
    }

    /// <summary>A loopback port that was just free: bound by us, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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
