namespace ProxySql.Core;

/// <summary>
/// What load-aware selection knows of one peer besides its connections in use: opens in flight, opens stuck past
/// the hedge delay while another peer answered, how long its sessions in use have not moved, and decaying averages
/// of open latency and of lease hold time.
/// </summary>
/// <remarks>
/// The averages decay with time, not with samples (as Finagle's EWMA, see <see cref="DecayingAverage"/>): a peer that
/// got no traffic because it was slow is tried again once its estimate has faded, instead of staying penalised
/// forever. The hold time is what shows a node that is up but slow to run statements: its opens come from the pool
/// as fast as anyone's, but its leases come back late.
/// </remarks>
internal sealed class PeerLoad
{
    /// <summary>
    /// How fast the estimates fade while a peer gets no sample (after this long, to 1/e), and how long the open-latency
    /// average remembers (a sample after this long a silence weighs 1 - 1/e).
    /// </summary>
    public static readonly TimeSpan DecayTime = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the hold-time average remembers. Shorter than <see cref="DecayTime"/>: a peer tried again after its estimate
    /// faded is judged on what it answers now (a lease after a silence of a second weighs 98 %), so a slow peer that
    /// recovered gets its share back at its first fast lease, and one that is still slow is avoided again at once.
    /// </summary>
    public static readonly TimeSpan HoldTimeMemory = TimeSpan.FromMilliseconds(250);

    /// <summary>The shortest time without a returned lease that counts as a stall, whatever the peer's usual pace.</summary>
    public static readonly TimeSpan MinimumStall = TimeSpan.FromMilliseconds(2);

    /// <summary>How many of its usual gaps between returned leases a peer may go without one before it counts as stalled.</summary>
    public const double StallGaps = 10;

    private DecayingAverage _latency;
    private DecayingAverage _holdTime;
    private long _progressAt;
    private long _gapBits;
    private int _pending;
    private int _stuck;

    /// <summary>Opens started on the peer and not settled yet.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Opens that outlived the hedge delay while another peer answered, not resolved yet.</summary>
    public int Stuck => Volatile.Read(ref _stuck);

    /// <summary>Timestamp of the last returned lease (or of the first handed out while none was in use); 0 before any.</summary>
    public long LastProgress => Volatile.Read(ref _progressAt);

    /// <summary>The peer's first lease in use was handed out: its stall clock starts now.</summary>
    public void FirstInUse(long now) => Volatile.Write(ref _progressAt, now);

    /// <summary>A lease on the peer was returned: its sessions in use are moving; the gap since the last one is learned.</summary>
    public void Returned(long now, long frequency, bool stillInUse)
    {
        var previous = Interlocked.Exchange(ref _progressAt, now);
        if (previous == 0 || !stillInUse)
            return;

        // A rough average is enough (a lost update between racing returns changes nothing that matters).
        var gap = (now - previous) / (double)frequency;
        var current = BitConverter.Int64BitsToDouble(Volatile.Read(ref _gapBits));
        Volatile.Write(ref _gapBits, BitConverter.DoubleToInt64Bits(current == 0 ? gap : (current * 0.9) + (gap * 0.1)));
    }

    /// <summary>
    /// How long, in seconds, the peer's sessions in use have not moved — the time since the last lease returned (or the
    /// first was handed out) while some are in use — once that exceeds <see cref="StallGaps"/> of its usual gaps between
    /// returns (at least <see cref="MinimumStall"/>), else 0. A node that accepts and then holds every statement (its
    /// backends gone) shows here within milliseconds under load, long before a probe or any lease can tell; a peer
    /// whose application runs long statements has long gaps, so they do not count against it.
    /// </summary>
    public double Stall(int inUse, long now, long frequency)
    {
        if (inUse <= 0)
            return 0;
        var stalled = (now - Volatile.Read(ref _progressAt)) / (double)frequency;
        var gap = BitConverter.Int64BitsToDouble(Volatile.Read(ref _gapBits));
        return stalled > Math.Max(MinimumStall.TotalSeconds, StallGaps * gap) ? stalled : 0;
    }

    public void OpenStarted() => Interlocked.Increment(ref _pending);

    public void OpenSettled() => Interlocked.Decrement(ref _pending);

    public void BecameStuck() => Interlocked.Increment(ref _stuck);

    public void StuckResolved() => Interlocked.Decrement(ref _stuck);

    /// <summary>Folds one open's latency (a failure's time counts as its latency) into the average at <paramref name="now"/>.</summary>
    public void Sample(TimeSpan latency, long now, long frequency) => _latency.Sample(latency.TotalSeconds, now, frequency, DecayTime);

    /// <summary>The open-latency estimate in seconds at <paramref name="now"/>, faded since the last sample.</summary>
    public double Latency(long now, long frequency) => _latency.Read(now, frequency, DecayTime);

    /// <summary>A lease handed out at <paramref name="handedOutAt"/> was returned at <paramref name="now"/>: its hold time is learned.</summary>
    public void Held(long handedOutAt, long now, long frequency) =>
        _holdTime.Sample(Math.Max(0, now - handedOutAt) / (double)frequency, now, frequency, HoldTimeMemory);

    /// <summary>The lease hold-time estimate in seconds at <paramref name="now"/>, faded since the last lease returned.</summary>
    public double HoldTime(long now, long frequency) => _holdTime.Read(now, frequency, DecayTime);

    /// <summary>Forgets everything (the peer now points elsewhere).</summary>
    public void Reset()
    {
        Volatile.Write(ref _gapBits, 0);
        _latency.Reset();
        _holdTime.Reset();
    }
}
