using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ProxySql.Tests;

/// <summary>
/// Records the ProxySql.Gen counters for peers whose names start with a prefix unique to one test, as
/// "instrument peer error-type-or-reason value" ("success" for an open without error), so tests running in parallel do not mix in.
/// </summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<string> _seen = new();

    public MeasurementRecorder(string peerPrefix)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ProxySql.Gen")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Tag(tags, "proxysql.peer") is { } peer && peer.StartsWith(peerPrefix, StringComparison.Ordinal))
                _seen.Enqueue($"{instrument.Name} {peer} {Tag(tags, "error.type") ?? Tag(tags, "proxysql.peer.state_reason") ?? "success"} {value}");
        });
        _listener.Start();
    }

    public IReadOnlyList<string> Seen => [.. _seen];

    /// <summary>How many measurements read exactly <paramref name="line"/>.</summary>
    public int Count(string line) => _seen.Count(s => s == line);

    public void Dispose() => _listener.Dispose();

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
                return tag.Value as string;
        }

        return null;
    }
}
