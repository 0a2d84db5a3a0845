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
    /// <summary>How fast the latency estimate forgets: after this long without samples it has fallen to 1/e.</summary>
    public static readonly TimeSpan DecayTime = TimeSpan.FromSeconds(2);

    private long _latencyBits;
    private long _sampledAt;
    private int _pending;
    private int _stuck;

    /// <summary>Opens started on the peer and not settled yet.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Opens that outlived the hedge delay while another peer answered, not resolved yet.</summary>
    public int Stuck => Volatile.Read(ref _stuck);

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

            // A worse sample is taken at once (peak sensitivity); a better one blends in with the time since the last.
            var next = sample >= current ? sample : Blend(current, sample, now - at, frequency);
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
        Interlocked.Exchange(ref _latencyBits, 0);
        Interlocked.Exchange(ref _sampledAt, 0);
    }

    private static double Blend(double current, double sample, long elapsedTicks, long frequency)
    {
        var weight = Math.Exp(-(elapsedTicks / (double)frequency) / DecayTime.TotalSeconds);
        return (current * weight) + (sample * (1 - weight));
    }
}
