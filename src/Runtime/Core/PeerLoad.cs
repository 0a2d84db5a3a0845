namespace ProxySql.Core;

/// <summary>
/// What load-aware selection knows of one peer besides its connections in use: opens in flight, opens stuck past
/// the hedge delay while another peer answered, and a decaying average of open latency.
/// </summary>
/// <remarks>
/// The average decays with time, not with samples (as Finagle's EWMA): a peer that got no traffic because it was
/// slow is tried again once its estimate has faded, instead of staying penalised forever.
/// </remarks>
internal sealed class PeerLoad
{
    /// <summary>How fast the latency estimate forgets: after this long, an old value weighs 1/e.</summary>
    public static readonly TimeSpan DecayTime = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time without a returned lease that counts as a stall, whatever the peer's usual pace.</summary>
    public static readonly TimeSpan MinimumStall = TimeSpan.FromMilliseconds(2);

    /// <summary>How many of its usual gaps between returned leases a peer may go without one before it counts as stalled.</summary>
    public const double StallGaps = 10;

    private long _latencyBits;
    private long _sampledAt;
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
    public void Sample(TimeSpan latency, long now, long frequency)
    {
        var sample = latency.TotalSeconds;
        while (true)
        {
            var bits = Interlocked.Read(ref _latencyBits);
            var at = Interlocked.Read(ref _sampledAt);
            var current = BitConverter.Int64BitsToDouble(bits);

            // Blended with the time since the last sample, so a burst of samples cannot swing it and one slow open on a
            // loaded machine does not take a peer out of the choice for seconds.
            var next = at == 0 ? sample : Blend(current, sample, now - at, frequency);
            if (Interlocked.CompareExchange(ref _latencyBits, BitConverter.DoubleToInt64Bits(next), bits) == bits)
            {
                Interlocked.Exchange(ref _sampledAt, now);
                return;
            }
        }
    }

    /// <summary>The latency estimate in seconds at <paramref name="now"/>, decayed since the last sample.</summary>
    public double Latency(long now, long frequency)
    {
        var current = BitConverter.Int64BitsToDouble(Interlocked.Read(ref _latencyBits));
        var elapsed = (now - Interlocked.Read(ref _sampledAt)) / (double)frequency;
        return elapsed <= 0 ? current : current * Math.Exp(-elapsed / DecayTime.TotalSeconds);
    }

    /// <summary>Forgets everything (the peer now points elsewhere).</summary>
    public void Reset()
    {
        Volatile.Write(ref _gapBits, 0);
        Interlocked.Exchange(ref _latencyBits, 0);
        Interlocked.Exchange(ref _sampledAt, 0);
    }

    private static double Blend(double current, double sample, long elapsedTicks, long frequency)
    {
        var weight = Math.Exp(-(elapsedTicks / (double)frequency) / DecayTime.TotalSeconds);
        return (current * weight) + (sample * (1 - weight));
    }
}
