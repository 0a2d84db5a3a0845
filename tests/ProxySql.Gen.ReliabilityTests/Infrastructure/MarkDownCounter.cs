using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>Counts the balancer's <c>proxysql.peer.mark_downs</c> by peer and reason (tests of this assembly run one at a time).</summary>
internal sealed class MarkDownCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Peer, string Reason), long> _counts = new();

    public MarkDownCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TelemetryCapture.SourceName && instrument.Name == "proxysql.peer.mark_downs")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? peer = null;
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "proxysql.peer")
                    peer = tag.Value as string;
                else if (tag.Key == ProxySqlTelemetry.PeerStateReasonAttribute)
                    reason = tag.Value as string;
            }

            _counts.AddOrUpdate((peer ?? "?", reason ?? "?"), value, (_, n) => n + value);
        });
        _listener.Start();
    }

    public long Total => _counts.Values.Sum();

    public long Count(string? peer = null, string? reason = null) =>
        _counts.Where(p => (peer is null || p.Key.Peer == peer) && (reason is null || p.Key.Reason == reason)).Sum(p => p.Value);

    public override string ToString() =>
        _counts.IsEmpty ? "no mark-downs" : string.Join(", ", _counts.OrderBy(p => p.Key.Peer, StringComparer.Ordinal).Select(p => $"{p.Key.Peer}/{p.Key.Reason}={p.Value}"));

    public void Dispose() => _listener.Dispose();
}
