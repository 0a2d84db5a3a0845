using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Captures everything the balancer says about itself: log lines (FakeLogger, every level), metric tags and names
/// (meter <c>ProxySql.Gen</c>) and activities (source <c>ProxySql.Gen</c>: name, tags, events, status), so a test can
/// scan it all for a secret. Listeners are process-wide: tests of this assembly run one at a time.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    public const string SourceName = "ProxySql.Gen";

    private readonly FakeLoggerProvider _logs = new();
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;
    private readonly ConcurrentQueue<string> _metricTexts = new();
    private readonly ConcurrentQueue<string> _activityTexts = new();
    private long _measurements;

    public TelemetryCapture()
    {
        LoggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SourceName)
                listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((i, _, tags, _) => Record(i, tags));
        _meters.SetMeasurementEventCallback<int>((i, _, tags, _) => Record(i, tags));
        _meters.SetMeasurementEventCallback<double>((i, _, tags, _) => Record(i, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public ILoggerFactory LoggerFactory { get; }

    public IReadOnlyList<FakeLogRecord> LogRecords => _logs.Collector.GetSnapshot();

    public long Measurements => Interlocked.Read(ref _measurements);

    public int Activities => _activityTexts.Count;

    /// <summary>Every captured text: formatted log lines with their state values and exceptions, metric tags, activity data.</summary>
    public IEnumerable<(string Where, string Text)> Texts()
    {
        _meters.RecordObservableInstruments(); // gauges report only when asked
        foreach (var record in _logs.Collector.GetSnapshot())
        {
            yield return ("log " + record.Level, record.Message);
            if (record.Exception is { } exception)
                yield return ("log exception", exception.ToString());
            foreach (var pair in record.StructuredState ?? [])
                yield return ("log state " + pair.Key, pair.Value ?? string.Empty);
        }

        foreach (var text in _metricTexts)
            yield return ("metric", text);
        foreach (var text in _activityTexts)
            yield return ("activity", text);
    }

    /// <summary>Where <paramref name="secret"/> appears in what was captured, as "where: text" lines (empty when nowhere).</summary>
    public List<string> Find(string secret) =>
        [.. Texts().Where(t => t.Text.Contains(secret, StringComparison.OrdinalIgnoreCase)).Select(t => $"{t.Where}: {t.Text}")];

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
        LoggerFactory.Dispose();
        _logs.Dispose();
    }

    private void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Interlocked.Increment(ref _measurements);
        var text = new System.Text.StringBuilder(instrument.Name);
        foreach (var tag in tags)
            text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        _metricTexts.Enqueue(text.ToString());
    }

    private void Record(Activity activity)
    {
        var text = new System.Text.StringBuilder(activity.OperationName).Append(' ').Append(activity.DisplayName)
            .Append(" status=").Append(activity.Status).Append(' ').Append(activity.StatusDescription);
        foreach (var tag in activity.TagObjects)
            text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        foreach (var e in activity.Events)
        {
            text.Append(" event ").Append(e.Name);
            foreach (var tag in e.Tags)
                text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        }

        foreach (var baggage in activity.Baggage)
            text.Append(" baggage ").Append(baggage.Key).Append('=').Append(baggage.Value);
        _activityTexts.Enqueue(text.ToString());
    }
}
