using ProxySql.Core;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace ProxySql.Tests;

/// <summary>The ProxySql.Gen meter and activity source. Peer names are unique to this class, so parallel tests do not mix in.</summary>
public sealed class TelemetryTests
{
    private static readonly ProxySqlPeerDefinition[] s_peers = [new("TelA", "Edge1"), new("TelB", "Edge2"), new("TelC", "proxysql-c")];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly ScriptedConnector _connector = new();

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
                return tag.Value as string;
        }

        return null;
    }

    [Fact]
    public async Task Opens_failovers_mark_downs_and_peer_state_are_measured_per_peer()
    {
        var measurements = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "ProxySql.Gen")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Tag(tags, "proxysql.peer") is { } peer && peer.StartsWith("Tel", StringComparison.Ordinal))
                measurements.Enqueue($"{instrument.Name} {peer} {Tag(tags, "outcome") ?? Tag(tags, "reason")} {value}");
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (Tag(tags, "proxysql.peer") is { } peer && peer.StartsWith("Tel", StringComparison.Ordinal))
                measurements.Enqueue($"{instrument.Name} {peer} {value}");
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (Tag(tags, "proxysql.peer") is { } peer && peer.StartsWith("Tel", StringComparison.Ordinal))
                measurements.Enqueue($"{instrument.Name} {peer} {Tag(tags, "outcome")}");
        });
        listener.Start();

        await using var balancer = TestBalancers.Create(_connector, _time, TestBalancers.Config("Ordered"), peers: s_peers);
        _connector.Throws("a", () => new InvalidOperationException("x", new SocketException((int)SocketError.ConnectionRefused)));
        await balancer.OpenConnectionAsync();
        listener.RecordObservableInstruments();

        var seen = measurements.ToArray();
        Assert.Contains("proxysql.opens TelA refused 1", seen);
        Assert.Contains("proxysql.opens TelB success 1", seen);
        Assert.Contains("proxysql.failovers TelA refused 1", seen);
        Assert.Contains("proxysql.peer.mark_downs TelA refused 1", seen);
        Assert.Contains("proxysql.open.duration TelB success", seen);
        Assert.Contains("proxysql.peer.state TelA 1", seen);
        Assert.Contains("proxysql.peer.state TelB 0", seen);
        Assert.Contains("proxysql.peer.connections.in_use TelB 1", seen);
    }

    [Fact]
    public async Task Each_open_is_an_activity_tagged_with_the_peer_that_served_it()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "ProxySql.Gen",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var balancer = TestBalancers.Create(_connector, _time, TestBalancers.Config("Ordered"), peers: s_peers);
        await balancer.OpenConnectionAsync();
        Assert.Contains(activities, a => a.OperationName == "proxysql.open" && (a.GetTagItem("proxysql.peer") as string) == "TelA");
    }
}
