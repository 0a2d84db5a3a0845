using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// MySqlConnector's own count of pooled sessions, idle and in use, per pool (its <c>db.client.connections.usage</c>
/// up-down counter). Start it before the pools it watches exist: it sums the changes it sees.
/// </summary>
internal sealed class PoolGauge : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Pool, string State), long> _counts = new();

    public PoolGauge()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "MySqlConnector" && instrument.Name == "db.client.connections.usage")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Add(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Add(value, tags));
        _listener.Start();
    }

    /// <summary>Sessions in <paramref name="state"/> ("idle" or "used") summed over the pools whose name contains <paramref name="poolNamePart"/>.</summary>
    public long Count(string state, string poolNamePart) =>
        _counts.Where(p => p.Key.State == state && p.Key.Pool.Contains(poolNamePart, StringComparison.Ordinal)).Sum(p => p.Value);

    public string Describe(string poolNamePart) =>
        string.Join(", ", _counts.Where(p => p.Key.Pool.Contains(poolNamePart, StringComparison.Ordinal)).OrderBy(p => p.Key.Pool, StringComparer.Ordinal).Select(p => $"{p.Key.Pool} {p.Key.State}={p.Value}"));

    public void Dispose() => _listener.Dispose();

    private void Add(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pool = null;
        string? state = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "pool.name")
                pool = tag.Value as string;
            else if (tag.Key == "state")
                state = tag.Value as string;
        }

        if (pool is not null && state is not null)
            _counts.AddOrUpdate((pool, state), value, (_, current) => current + value);
    }
}
