using System.Diagnostics;
using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// TLS on the client leg (<c>mysql-have_ssl=true</c>, the balancer with <c>SslMode=Required</c>): the pause and kill
/// promises still hold, and what the background probes cost in new TLS sessions is measured. ProxySQL only: the relay
/// rig's MariaDB runs without TLS.
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class TlsTests(ITestOutputHelper output)
{
    private static readonly FleetOptions Tls = new() { Tls = true };

    [Fact]
    public Task Pause_over_tls_drains_without_caller_errors() => Scenarios.PauseAsync(RigKind.ProxySql, Tls, output);

    [Fact]
    public Task Kill_over_tls_fails_no_open_and_only_in_flight_statements() => Scenarios.KillAsync(RigKind.ProxySql, Tls, output);

    [Fact]
    public async Task Probe_cost_over_tls_is_measured_in_new_sessions_per_node_per_second()
    {
        await using var fleet = await Fleet.StartAsync(RigKind.ProxySql, Tls);
        await using var databases = fleet.CreateDatabases();
        foreach (var peer in databases.Peers)
        {
            // each peer serves over TLS: SslMode=Required fails the open on a node that does not offer it
            await using var connection = await peer.OpenConnectionAsync();
            await using var command = new MySqlCommand("SELECT 1", connection);
            Assert.Equal(1L, Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }

        // idle: only the probes touch the nodes now
        var nodes = fleet.Nodes.Select(n => n.RequireNode("TLS")).ToArray();
        // The window is the time the counts really span (a busy machine overruns the delay and the admin queries), so
        // the rate is not inflated by probes that ran in the overrun.
        var clock = Stopwatch.StartNew();
        var before = await Task.WhenAll(nodes.Select(n => n.ClientConnectionsCreatedAsync()));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await Task.WhenAll(nodes.Select(n => n.ClientConnectionsCreatedAsync()));
        var window = clock.Elapsed;
        var perSecond = after.Select((a, i) => (a - before[i]) / window.TotalSeconds).ToArray();

        // what one TLS session costs the caller, against one without TLS, on the same node (unpooled opens)
        var tlsOpen = await MeanOpenAsync(nodes[0].ConnectionString);
        await using var plainNode = await ProxySqlNode.StartAsync(fleet.Server);
        var plainOpen = await MeanOpenAsync(plainNode.ConnectionString);

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"TLS probe cost [ProxySql]: new client sessions per node per second while idle, probe interval {Fleet.ProbeInterval.TotalMilliseconds:0} ms: {string.Join(" / ", perSecond.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}; one unpooled open {tlsOpen.TotalMilliseconds:0.0} ms with TLS vs {plainOpen.TotalMilliseconds:0.0} ms without"));
        Assert.All(perSecond, rate => Assert.True(rate <= 2 / Fleet.ProbeInterval.TotalSeconds, $"{rate:0.0} new sessions/s on an idle node: more than two per probe interval"));
    }

    private static async Task<TimeSpan> MeanOpenAsync(string connectionString)
    {
        const int Opens = 30;
        var unpooled = new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Opens; i++)
        {
            await using var connection = new MySqlConnection(unpooled);
            await connection.OpenAsync();
        }

        return clock.Elapsed / Opens;
    }
}
