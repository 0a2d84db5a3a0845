using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MySqlConnector;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.HostingTests;

/// <summary>
/// What an operator sees in OpenTelemetry (in-memory exporter, real host, real MariaDB through the relays) while one node
/// is killed and another paused: the mark-downs with their reasons, the failovers, the paused node's in-use gauge at 0.
/// </summary>
public sealed class OpenTelemetryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_kill_and_a_pause_show_as_mark_downs_with_reasons_failovers_and_the_paused_peer_draining_to_zero()
    {
        await using var rig = await HostRig.StartAsync();
        var metrics = new List<MetricSnapshot>();
        var spans = new List<Activity>();
        var builder = rig.CreateBuilder();
        builder.AddProxySqlDatabases<HostedDatabases>();
        builder.Services.AddOpenTelemetry()
            .WithMetrics(m => m.AddInMemoryExporter(metrics))
            .WithTracing(t => t.SetSampler(new AlwaysOnSampler()).AddInMemoryExporter(spans));
        using var host = builder.Build();
        await host.StartAsync();
        var databases = host.Services.GetRequiredService<HostedDatabases>();
        var meters = host.Services.GetRequiredService<MeterProvider>();

        using var stop = new CancellationTokenSource();
        var workload = Workload.For(databases, options: new WorkloadOptions { Statement = "SELECT SLEEP(0.005)" });
        var run = workload.RunAsync(8, stop.Token);
        await Eventually.TrueAsync(() => rig.Relays.All(r => r.TotalSessions > 0) && workload.Opens > 300, Deadline, () => $"{workload.Opens} opens");

        // Kill Edge1: its sessions are reset and new connects refused.
        rig.Relays[0].Mode = RelayMode.Killed;
        await Eventually.TrueAsync(() => databases.Edge1.State == ProxySqlPeerState.Down, Deadline, () => databases.Edge1.ToString());

        // Pause Edge2: new connects refused, open sessions keep answering until returned.
        rig.Relays[1].Mode = RelayMode.Paused;
        var inUseOnEdge2 = -1L;
        await Eventually.TrueAsync(
            () =>
            {
                Flush(meters, metrics);
                inUseOnEdge2 = Gauge(metrics, ProxySqlTelemetry.PeerConnectionsInUse, "Edge2");
                return databases.Edge2.State == ProxySqlPeerState.Draining && inUseOnEdge2 == 0 && rig.Relays[1].OpenSessions == 0;
            },
            Deadline,
            () => $"Edge2 {databases.Edge2.State}, gauge {inUseOnEdge2}, relay sessions {rig.Relays[1].OpenSessions}");
        var opensAfterPause = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens > opensAfterPause + 300, Deadline, () => $"{workload.Opens} opens");
        await stop.CancelAsync();
        await run;
        Flush(meters, metrics);
        foreach (var line in Describe(metrics))
            output.WriteLine(line);

        var markDowns = Points(metrics, ProxySqlTelemetry.MarkDowns);
        Assert.Contains(markDowns, p => Tag(p, "proxysql.peer") == "Edge1" && Tag(p, "proxysql.peer.state") == "down" && Tag(p, "proxysql.peer.state_reason") is "refused" or "connection-lost" && p.GetSumLong() >= 1);
        Assert.Contains(markDowns, p => Tag(p, "proxysql.peer") == "Edge2" && Tag(p, "proxysql.peer.state") == "draining" && Tag(p, "proxysql.peer.state_reason") == "paused");
        Assert.All(markDowns, p => Assert.Equal("mysql", Tag(p, "db.system.name")));
        Assert.All(markDowns, p => Assert.Equal("127.0.0.1", Tag(p, "server.address")));

        var failovers = Points(metrics, ProxySqlTelemetry.Failovers);
        Assert.Contains(failovers, p => Tag(p, "proxysql.peer") == "Edge1" && Tag(p, "error.type") is not null && p.GetSumLong() >= 1);
        Assert.Equal(0, Gauge(metrics, ProxySqlTelemetry.PeerConnectionsInUse, "Edge2"));
        Assert.Equal(1, Gauge(metrics, ProxySqlTelemetry.PeerState, "Edge2", "draining"));
        Assert.Equal(1, Gauge(metrics, ProxySqlTelemetry.PeerState, "Edge3", "up"));
        Assert.Contains(Points(metrics, ProxySqlTelemetry.PeerState), p => Tag(p, "proxysql.peer") == "Edge1" && Tag(p, "server.port") == rig.Relays[0].Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The driver's own pool metrics come through the same call.
        Assert.Contains(metrics, m => m.Name.StartsWith("db.client.connection", StringComparison.Ordinal));

        // Spans: each open names the peer that served it; MySqlConnector's own spans sit under them.
        var tracer = host.Services.GetRequiredService<TracerProvider>();
        tracer.ForceFlush();
        var opens = spans.Where(s => s.OperationName == ProxySqlTelemetry.OpenActivityName).ToArray();
        Assert.Contains(opens, s => (s.GetTagItem("proxysql.peer") as string) == "Edge3" && Equals(s.GetTagItem("server.port"), rig.Relays[2].Port) && (s.GetTagItem("db.system.name") as string) == "mysql");
        Assert.Contains(spans, s => s.Source.Name == ProxySqlTelemetry.MySqlConnectorName);
        Assert.Empty(workload.OpenFailures);
        await host.StopAsync();
    }

    private static void Flush(MeterProvider meters, List<MetricSnapshot> metrics)
    {
        lock (metrics)
            metrics.Clear();
        meters.ForceFlush();
    }

    private static List<MetricPoint> Points(List<MetricSnapshot> metrics, string name)
    {
        lock (metrics)
            return metrics.Where(m => m.Name == name).SelectMany(m => m.MetricPoints).ToList();
    }

    private static long Gauge(List<MetricSnapshot> metrics, string name, string peer, string? state = null)
    {
        foreach (var point in Points(metrics, name))
        {
            if (Tag(point, "proxysql.peer") == peer && (state is null || Tag(point, "proxysql.peer.state") == state))
                return point.GetGaugeLastValueLong();
        }

        return -1;
    }

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
                return Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return null;
    }

    private static IEnumerable<string> Describe(List<MetricSnapshot> metrics)
    {
        foreach (var metric in metrics.Where(m => m.Name.StartsWith("proxysql.", StringComparison.Ordinal) && m.Name != ProxySqlTelemetry.PeerState && m.Name != ProxySqlTelemetry.OpenDuration))
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new List<string>();
                foreach (var tag in point.Tags)
                {
                    if (tag.Key is not ("db.system.name" or "server.address"))
                        tags.Add($"{tag.Key}={tag.Value}");
                }

                var value = metric.MetricType == MetricType.LongGauge ? point.GetGaugeLastValueLong() : point.GetSumLong();
                yield return $"{metric.Name} {string.Join(" ", tags)} = {value}";
            }
        }
    }
}
