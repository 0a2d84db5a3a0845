using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProxySql.Diagnostics;

/// <summary>The <c>ProxySql.Gen</c> meter and activity source. Recording costs nothing when nobody listens.</summary>
internal sealed class BalancerTelemetry : IDisposable
{
    public const string Name = "ProxySql.Gen";

    public static readonly ActivitySource Source = new(Name, typeof(BalancerTelemetry).Assembly.GetName().Version?.ToString());

    private readonly Meter _meter;
    private readonly Counter<long> _opens;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _markDowns;
    private readonly Histogram<double> _openDuration;

    public BalancerTelemetry(IReadOnlyList<ProxySqlPeer> peers)
    {
        _meter = new Meter(Name, typeof(BalancerTelemetry).Assembly.GetName().Version?.ToString());
        _opens = _meter.CreateCounter<long>("proxysql.opens", "{open}", "Opens by peer and outcome.");
        _failovers = _meter.CreateCounter<long>("proxysql.failovers", "{failover}", "Opens that moved on from a failed or slow peer.");
        _markDowns = _meter.CreateCounter<long>("proxysql.peer.mark_downs", "{event}", "Peers marked Down or Draining, by reason.");
        _openDuration = _meter.CreateHistogram<double>("proxysql.open.duration", "s", "Time to open a connection through the balancer.");
        _meter.CreateObservableGauge("proxysql.peer.state", () => Observe(peers, p => (int)p.State), null, "Peer state: 0 Up, 1 Down, 2 Draining, 3 Disabled.");
        _meter.CreateObservableGauge("proxysql.peer.connections.in_use", () => Observe(peers, p => p.ConnectionsInUse), "{connection}", "Connections handed out on the peer and not closed yet.");
    }

    public void Opened(string peer, string outcome, TimeSpan elapsed)
    {
        if (_opens.Enabled)
            _opens.Add(1, new KeyValuePair<string, object?>("proxysql.peer", peer), new KeyValuePair<string, object?>("outcome", outcome));
        if (_openDuration.Enabled)
            _openDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("proxysql.peer", peer), new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void FailedOver(string fromPeer, string reason)
    {
        if (_failovers.Enabled)
            _failovers.Add(1, new KeyValuePair<string, object?>("proxysql.peer", fromPeer), new KeyValuePair<string, object?>("reason", reason));
    }

    public void MarkedDown(string peer, string reason)
    {
        if (_markDowns.Enabled)
            _markDowns.Add(1, new KeyValuePair<string, object?>("proxysql.peer", peer), new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> Observe(IReadOnlyList<ProxySqlPeer> peers, Func<ProxySqlPeer, int> value)
    {
        foreach (var peer in peers)
            yield return new Measurement<int>(value(peer), new KeyValuePair<string, object?>("proxysql.peer", peer.Name));
    }
}
