using System.Diagnostics.Metrics;

namespace ProxySql.IntegrationTests;

/// <summary>Counts failed open attempts from the balancer's <c>proxysql.opens</c> metric (tests run one at a time).</summary>
internal sealed class AttemptCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _failed;
    private long _succeeded;

    public AttemptCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ProxySql.Gen" && instrument.Name == "proxysql.opens")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            // A failed attempt carries error.type; a cancelled one is the caller's doing, not a failure.
            string? errorType = null;
            foreach (var tag in tags)
            {
                if (tag.Key == ProxySqlTelemetry.ErrorTypeAttribute)
                    errorType = tag.Value as string;
            }

            if (errorType is null)
                Interlocked.Add(ref _succeeded, value);
            else if (errorType != "cancelled")
                Interlocked.Add(ref _failed, value);
        });
        _listener.Start();
    }

    public long Failed => Interlocked.Read(ref _failed);

    public long Succeeded => Interlocked.Read(ref _succeeded);

    public void Dispose() => _listener.Dispose();
}
