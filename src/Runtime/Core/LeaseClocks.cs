using System.Numerics;

namespace ProxySql.Core;

/// <summary>
/// When each of a peer's leases in use was handed out, so that its hold time (handed out → returned) can be learned
/// without a per-lease allocation, lock or table lookup: a fixed set of slots claimed with one compare-and-swap on a
/// free mask. The peer subscribes each slot's own cached close handler, so the close says which slot it was.
/// </summary>
/// <remarks>
/// Leases beyond <see cref="Capacity"/> in use at once are not timed (the average is learned from the others). A lease
/// never closed keeps its slot, as it keeps its count in <c>ConnectionsInUse</c>.
/// </remarks>
internal sealed class LeaseClocks
{
    /// <summary>How many leases in use at once are timed per peer.</summary>
    public const int Capacity = 128;

    private const int Words = Capacity / 64;

    private readonly long[] _handedOutAt = new long[Capacity];

    // One bit per slot, set while free.
    private readonly long[] _free = [-1L, -1L];

    /// <summary>Claims a slot for a lease handed out at <paramref name="now"/>; -1 when every slot is taken.</summary>
    public int Start(long now)
    {
        for (var word = 0; word < Words; word++)
        {
            while (true)
            {
                var free = Volatile.Read(ref _free[word]);
                if (free == 0)
                    break;
                var bit = BitOperations.TrailingZeroCount(free);
                if (Interlocked.CompareExchange(ref _free[word], free & ~(1L << bit), free) != free)
                    continue;
                var slot = (word * 64) + bit;
                Volatile.Write(ref _handedOutAt[slot], now);
                return slot;
            }
        }

        return -1;
    }

    /// <summary>Frees <paramref name="slot"/> and returns when its lease was handed out.</summary>
    public long Stop(int slot)
    {
        var handedOutAt = Volatile.Read(ref _handedOutAt[slot]);
        Interlocked.Or(ref _free[slot / 64], 1L << (slot % 64));
        return handedOutAt;
    }
}
