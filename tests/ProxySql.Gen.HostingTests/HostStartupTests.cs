using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ProxySql.HostingTests;

/// <summary><c>builder.AddProxySqlDatabases&lt;T&gt;()</c> on a real host: fail-fast startup, the data source, health, switches.</summary>
public sealed class HostStartupTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_bad_value_in_an_environment_variable_stops_the_host_at_start_naming_its_configuration_path()
    {
        await using var rig = await HostRig.StartAsync();
        Environment.SetEnvironmentVariable("ProxySql__Peers__Edge2__Weight", "two");
        HostApplicationBuilder builder;
        try
        {
            builder = rig.CreateBuilder();
        }
        finally
        {
            Environment.SetEnvironmentVariable("ProxySql__Peers__Edge2__Weight", null);
        }

        builder.AddProxySqlDatabases<HostedDatabases>();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.StartsWith("ProxySql:Peers:Edge2:Weight: 'two' is not a whole number", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Server.AppPassword, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_peer_missing_from_configuration_stops_the_host_at_start()
    {
        await using var rig = await HostRig.StartAsync();
        rig.Values.Remove("ProxySql:Peers:Edge3:ConnectionString");
        var builder = rig.CreateBuilder();
        builder.Services.AddProxySqlDatabases<HostedDatabases>();
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.StartsWith("ProxySql:Peers:Edge3: the peer 'Edge3' is declared but not configured.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosted_app_serves_through_the_registered_data_source_and_reports_each_peer_in_health_data()
    {
        await using var rig = await HostRig.StartAsync();
        rig.Values["ProxySql:Peers:Edge2:ConnectionString"] = HostRig.ClosedPeer();
        var builder = rig.CreateBuilder();
        builder.AddProxySqlDatabases<HostedDatabases>();
        using var host = builder.Build();
        await host.StartAsync();

        var databases = host.Services.GetRequiredService<HostedDatabases>();
        var dataSource = host.Services.GetRequiredService<DbDataSource>();
        Assert.Same(databases.DataSource, dataSource);
        for (var i = 0; i < 20; i++)
        {
            // OpenConnectionAsync fails over; CreateCommand's balancing is the data source's own business (tested with it).
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            Assert.Equal(1, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var health = host.Services.GetRequiredService<HealthCheckService>();
        var entry = await Poll.UntilAsync(
            async () => (await health.CheckHealthAsync()).Entries[nameof(HostedDatabases)],
            e => e.Status == HealthStatus.Degraded,
            Deadline,
            e => $"{e.Status}: {e.Description}");
        var edge2 = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(entry.Data["Edge2"]);
        Assert.NotEqual("Up", edge2["state"]);
        Assert.NotNull(edge2["lastError"]);
        Assert.NotNull(edge2["lastErrorAt"]);
        Assert.NotEqual("none", edge2["reason"]);
        Assert.Equal(0, edge2["inUse"]);
        Assert.Equal(["Edge1", "Edge2", "Edge3"], entry.Data.Keys.Order(StringComparer.Ordinal));

        // Metrics and tracing are on by default.
        Assert.NotNull(host.Services.GetService<MeterProvider>());
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        await host.StopAsync();
    }

    [Fact]
    public async Task Switches_in_the_sections_hosting_key_turn_registrations_off()
    {
        await using var rig = await HostRig.StartAsync();
        rig.Values["ProxySql:Hosting:DisableHealthChecks"] = "true";
        rig.Values["ProxySql:Hosting:DisableMetrics"] = "true";
        rig.Values["ProxySql:Hosting:DisableDataSource"] = "True";
        var builder = rig.CreateBuilder();
        builder.AddProxySqlDatabases<HostedDatabases>(s => Assert.True(s.DisableHealthChecks && s.DisableMetrics && s.DisableDataSource && !s.DisableTracing));
        using var host = builder.Build();
        await host.StartAsync();

        Assert.Null(host.Services.GetService<HealthCheckService>());
        Assert.Null(host.Services.GetService<MeterProvider>());
        Assert.Null(host.Services.GetService<DbDataSource>());
        Assert.NotNull(host.Services.GetService<TracerProvider>());
        await using var connection = await host.Services.GetRequiredService<HostedDatabases>().OpenConnectionAsync();
        await host.StopAsync();
    }

    [Fact]
    public async Task A_switch_that_is_not_a_boolean_names_its_path()
    {
        await using var rig = await HostRig.StartAsync();
        rig.Values["ProxySql:Hosting:DisableTracing"] = "maybe";
        var builder = rig.CreateBuilder();
        var error = Assert.Throws<ProxySqlConfigurationException>(() => builder.AddProxySqlDatabases<HostedDatabases>());
        Assert.Equal("ProxySql:Hosting:DisableTracing: 'maybe' is not true or false.", error.Message);
    }

    [Fact]
    public async Task Two_clusters_are_keyed_services_each_with_its_own_data_source_and_health_check()
    {
        await using var east = await HostRig.StartAsync();
        await using var west = await HostRig.StartAsync();
        var builder = east.CreateBuilder();
        var westConfiguration = new ConfigurationBuilder().AddInMemoryCollection(west.Values).Build();
        builder.AddKeyedProxySqlDatabases<HostedDatabases>("east");
        builder.AddKeyedProxySqlDatabases<HostedDatabases>("west", westConfiguration);
        using var host = builder.Build();
        await host.StartAsync();

        var eastData = host.Services.GetRequiredKeyedService<DbDataSource>("east");
        var westData = host.Services.GetRequiredKeyedService<DbDataSource>("west");
        Assert.NotSame(eastData, westData);
        await using (var connection = await westData.OpenConnectionAsync())
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        await using (var connection = await eastData.OpenConnectionAsync())
            Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.True(west.Relays.Sum(r => r.TotalSessions) > 0);
        Assert.True(east.Relays.Sum(r => r.TotalSessions) > 0);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Contains("HostedDatabases:east", report.Entries.Keys);
        Assert.Contains("HostedDatabases:west", report.Entries.Keys);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_keyed_cluster_with_a_bad_value_stops_the_host_too()
    {
        await using var rig = await HostRig.StartAsync();
        rig.Values["ProxySql:Peers:Edge1:Enabled"] = "yes please";
        var builder = rig.CreateBuilder();
        builder.Services.AddKeyedProxySqlDatabases<HostedDatabases>("east");
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.StartsWith("ProxySql:Peers:Edge1:Enabled:", error.Message, StringComparison.Ordinal);
    }
}
