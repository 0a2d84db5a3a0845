namespace ProxySql.Core;

/// <summary>
/// A time-decayed average (as Finagle's EWMA): each sample is blended in with the weight of the time since the previous
/// one (1 - e^(-elapsed / memory)), and the value read fades towards 0 with the time since the last sample. Lock-free;
/// used as a field of a class (never copied), updated with <see cref="Interlocked"/> only.
/// </summary>
/// <remarks>
/// Blending by elapsed time, not by sample count, means a burst of samples cannot swing it (one slow sample among many
/// fast ones weighs its share of the memory, nothing more), while a sample after a silence longer than the memory
/// replaces most of the value. Fading while no sample comes means a peer that got no traffic because it looked slow
/// is tried again once its estimate has faded, instead of staying penalised forever. The fade is only in what is
/// read: the stored value stays an unbiased average of what the peer answered.
/// </remarks>
internal struct DecayingAverage
{
    private long _valueBits;
    private long _sampledAt;

    /// <summary>Folds <paramref name="sample"/> (seconds) in at timestamp <paramref name="now"/>.</summary>
    public void Sample(double sample, long now, long frequency, TimeSpan memory)
    {
        while (true)
        {
            var bits = Interlocked.Read(ref _valueBits);
            var at = Interlocked.Read(ref _sampledAt);
            var current = BitConverter.Int64BitsToDouble(bits);
            var next = at == 0 ? sample : Blend(current, sample, now - at, frequency, memory);
            if (Interlocked.CompareExchange(ref _valueBits, BitConverter.DoubleToInt64Bits(next), bits) == bits)
            {
                Interlocked.Exchange(ref _sampledAt, now);
                return;
            }
        }
    }

    /// <summary>The value in seconds at <paramref name="now"/>, faded since the last sample: after <paramref name="fade"/> it weighs 1/e.</summary>
    public readonly double Read(long now, long frequency, TimeSpan fade)
    {
        var current = BitConverter.Int64BitsToDouble(Volatile.Read(in _valueBits));
        var elapsed = (now - Volatile.Read(in _sampledAt)) / (double)frequency;
        return elapsed <= 0 ? current : current * Math.Exp(-elapsed / fade.TotalSeconds);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _valueBits, 0);
        Interlocked.Exchange(ref _sampledAt, 0);
    }

    private static double Blend(double current, double sample, long elapsedTicks, long frequency, TimeSpan memory)
    {
        if (elapsedTicks <= 0)
            return current;
        var weight = Math.Exp(-(elapsedTicks / (double)frequency) / memory.TotalSeconds);
        return (current * weight) + (sample * (1 - weight));
    }
}
