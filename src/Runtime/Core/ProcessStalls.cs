namespace ProxySql.Core;

/// <summary>
/// Notices when this process stops running its own work on time — frozen (SIGSTOP, a VM pause, a container's CPU
/// quota), a stop-the-world GC, CPU or thread-pool starvation — by how late a ticker every 100 ms runs. A connect or
/// probe deadline that passed while the process stood still says nothing about the peer: the open's own steps were
/// held up the same way.
/// </summary>
/// <remarks>
/// Ten timer callbacks a second and a lock taken only by them and by deadlines that passed: nothing on the open path.
/// The last <see cref="Capacity"/> stalls are kept; an older one is forgotten, which only makes a verdict stricter.
/// </remarks>
internal sealed class ProcessStalls : IDisposable
{
    /// <summary>How often the ticker runs.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    private const int Capacity = 64;

    // A timeout is excused when the process stood still for a tenth of it, and at least this long.
    private static readonly TimeSpan MinimumExcuse = TimeSpan.FromMilliseconds(200);

    // A tick more than a whole interval late (two intervals between runs) is a stall: far beyond timer resolution and
    // ordinary scheduling jitter, and beyond what a clock moved in steps of one interval (fake time in tests) shows.
    private static readonly TimeSpan Noise = TickInterval;

    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _interval;
    private readonly long _noise;
    private readonly long[] _ends = new long[Capacity];
    private readonly long[] _lengths = new long[Capacity];
    private readonly Lock _gate = new();
    private int _next;
    private long _lastTick;
    private long _reportedAt;

    public ProcessStalls(TimeProvider time)
    {
        _time = time;
        _interval = Ticks(TickInterval);
        _noise = Ticks(Noise);
        _lastTick = time.GetTimestamp();

        // A process-lifetime timer must not capture the creating caller's ExecutionContext.
        var restoreFlow = !ExecutionContext.IsFlowSuppressed();
        var flow = restoreFlow ? ExecutionContext.SuppressFlow() : default;
        try
        {
            _timer = time.CreateTimer(static s => ((ProcessStalls)s!).Tick(), this, TickInterval, TickInterval);
        }
        finally
        {
            if (restoreFlow)
                flow.Undo();
        }
    }

    /// <summary>
    /// How long this process stood still between <paramref name="since"/> and <paramref name="now"/> (timestamps of
    /// <see cref="TimeProvider.GetTimestamp"/>), including a stall still going on that the ticker has not seen yet.
    /// </summary>
    public TimeSpan Between(long since, long now)
    {
        long stalled = 0;
        lock (_gate)
        {
            for (var i = 0; i < Capacity; i++)
            {
                var end = _ends[i];
                if (_lengths[i] > 0 && end > since)
                    stalled += Math.Min(_lengths[i], end - since);
            }

            // The deadline may run before the ticker after a freeze: the gap since its last run counts too.
            var ongoing = now - _lastTick - _interval;
            if (ongoing > _noise)
                stalled += Math.Min(ongoing, now - Math.Max(since, _lastTick));
        }

        return TimeSpan.FromSeconds(Math.Max(0, stalled) / (double)_time.TimestampFrequency);
    }

    /// <summary>
    /// Whether a <paramref name="timeout"/> that ran out between <paramref name="since"/> and <paramref name="now"/> is
    /// this process's doing rather than the peer's: it stood still for <see cref="Threshold"/> of it or more.
    /// </summary>
    public bool Excuse(long since, long now, TimeSpan timeout, out TimeSpan stalled)
    {
        stalled = Between(since, now);
        return stalled >= Threshold(timeout);
    }

    /// <summary>How long the process may stand still during a timeout before its expiry is not blamed on the peer: a tenth of it, at least 200 ms.</summary>
    public static TimeSpan Threshold(TimeSpan timeout)
    {
        var tenth = timeout / 10;
        return tenth > MinimumExcuse ? tenth : MinimumExcuse;
    }

    /// <summary>A stall excuses every deadline in flight at once: one warning a second says so, not one per attempt.</summary>
    public bool ShouldReport()
    {
        var now = _time.GetTimestamp();
        var last = Volatile.Read(ref _reportedAt);
        if (last != 0 && now - last < _time.TimestampFrequency)
            return false;
        return Interlocked.CompareExchange(ref _reportedAt, now, last) == last;
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        lock (_gate)
        {
            // Read under the lock: two overlapping callbacks must not move the last tick backwards.
            var now = _time.GetTimestamp();
            var late = now - _lastTick - _interval;
            _lastTick = now;
            if (late <= _noise)
                return;
            _ends[_next] = now;
            _lengths[_next] = late;
            _next = (_next + 1) % Capacity;
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
