namespace ProxySql.Core;

/// <summary>
/// A time-decayed average (as Finagle's EWMA): each sample is blended in with the weight of the time since the previous
/// one, and the value read fades towards 0 with the time since the last sample. Lock-free; used as a field of a class
/// (never copied), updated with <see cref="Interlocked"/> only.
/// </summary>
/// <remarks>
/// Blending by elapsed time, not by sample count, means a burst of samples cannot swing it (one slow sample among many
/// fast ones weighs its share of the decay time, nothing more), while a sample after a long silence counts for most of
/// the value. Fading while no sample comes means a peer that got no traffic because it looked slow is tried again
/// once its estimate has faded, instead of staying penalised forever.
/// </remarks>
internal struct DecayingAverage
{
    private long _valueBits;
    private long _sampledAt;

    /// <summary>Folds <paramref name="sample"/> (seconds) in at timestamp <paramref name="now"/>.</summary>
    public void Sample(double sample, long now, long frequency, TimeSpan decayTime)
    {
        while (true)
        {
            var bits = Interlocked.Read(ref _valueBits);
            var at = Interlocked.Read(ref _sampledAt);
            var current = BitConverter.Int64BitsToDouble(bits);
            var next = at == 0 ? sample : Blend(current, sample, now - at, frequency, decayTime);
            if (Interlocked.CompareExchange(ref _valueBits, BitConverter.DoubleToInt64Bits(next), bits) == bits)
            {
                Interlocked.Exchange(ref _sampledAt, now);
                return;
            }
        }
    }

    /// <summary>The value in seconds at <paramref name="now"/>, faded since the last sample.</summary>
    public readonly double Read(long now, long frequency, TimeSpan decayTime)
    {
        var current = BitConverter.Int64BitsToDouble(Volatile.Read(in _valueBits));
        var elapsed = (now - Volatile.Read(in _sampledAt)) / (double)frequency;
        return elapsed <= 0 ? current : current * Math.Exp(-elapsed / decayTime.TotalSeconds);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _valueBits, 0);
        Interlocked.Exchange(ref _sampledAt, 0);
    }

    private static double Blend(double current, double sample, long elapsedTicks, long frequency, TimeSpan decayTime)
    {
        var weight = Math.Exp(-(elapsedTicks / (double)frequency) / decayTime.TotalSeconds);
        return (current * weight) + (sample * (1 - weight));
    }
}
