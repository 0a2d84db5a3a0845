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
                measurements.Enqueue($"{instrument.Name} {peer} {Tag(tags, "proxysql.peer.state")} {Tag(tags, "proxysql.peer.state_reason") ?? Tag(tags, "error.type") ?? "ok"} {value}");
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (Tag(tags, "proxysql.peer") is { } peer && peer.StartsWith("Tel", StringComparison.Ordinal))
                measurements.Enqueue($"{instrument.Name} {peer} {Tag(tags, "proxysql.peer.state")} {value}");
        });
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (Tag(tags, "proxysql.peer") is { } peer && peer.StartsWith("Tel", StringComparison.Ordinal))
                measurements.Enqueue($"{instrument.Name} {peer} {Tag(tags, "error.type") ?? "ok"} {Tag(tags, "db.system.name")} {Tag(tags, "server.address")}");
        });
        listener.Start();

        await using var balancer = TestBalancers.Create(_connector, _time, TestBalancers.Config("Ordered"), peers: s_peers);
        _connector.Throws("a", () => new InvalidOperationException("x", new SocketException((int)SocketError.ConnectionRefused)));
        await balancer.OpenConnectionAsync();
        listener.RecordObservableInstruments();

        var seen = measurements.ToArray();
        Assert.Contains("proxysql.opens TelA  refused 1", seen);
        Assert.Contains("proxysql.opens TelB  ok 1", seen);
        Assert.Contains("proxysql.failovers TelA  refused 1", seen);
        Assert.Contains("proxysql.peer.mark_downs TelA down refused 1", seen);
        Assert.Contains("proxysql.open.duration TelB ok mysql b", seen);
        Assert.Contains("proxysql.peer.state TelA down 1", seen);
        Assert.Contains("proxysql.peer.state TelA up 0", seen);
        Assert.Contains("proxysql.peer.state TelB up 1", seen);
        Assert.Contains("proxysql.peer.connections.in_use TelB  1", seen);
    }

    [Fact]
    public void Meters_come_from_the_meter_factory_when_one_is_given()
    {
        using var factory = new OwnMeterFactory();
        var scopes = new ConcurrentQueue<object?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == ProxySqlTelemetry.MeterName)
                scopes.Enqueue(instrument.Meter.Scope);
        };
        listener.Start();

        var telemetry = new Diagnostics.BalancerTelemetry([], factory);
        Assert.Contains(factory, scopes);

        // The factory owns its meter: disposing the telemetry leaves it to the factory.
        telemetry.Dispose();
        Assert.False(factory.Meters.Single().Disposed);
    }

    /// <summary>What the container's IMeterFactory does: meters scoped to it, disposed with it.</summary>
    private sealed class OwnMeterFactory : IMeterFactory
    {
        public List<TrackedMeter> Meters { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new TrackedMeter(new MeterOptions(options.Name) { Version = options.Version, Scope = this });
            Meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in Meters)
                meter.Dispose();
        }
    }

    private sealed class TrackedMeter(MeterOptions options) : Meter(options)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
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
