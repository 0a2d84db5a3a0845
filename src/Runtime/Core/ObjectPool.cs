namespace ProxySql.Core;

/// <summary>A small lock-free pool so the open path reuses its timers and cancellation sources.</summary>
/// <typeparam name="T">The pooled type.</typeparam>
internal sealed class ObjectPool<T>(int size)
    where T : class
{
    private readonly T?[] _items = new T?[size];

    public T? TryRent()
    {
        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            var item = Volatile.Read(ref items[i]);
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
                return item;
        }

        return null;
    }

    /// <summary>Returns <paramref name="item"/>; <see langword="false"/> when the pool is full (the caller disposes it).</summary>
    public bool TryReturn(T item)
    {
        var items = _items;
        for (var i = 0; i < items.Length; i++)
        {
            if (Volatile.Read(ref items[i]) is null && Interlocked.CompareExchange(ref items[i], item, null) is null)
                return true;
        }

        return false;
    }

    /// <summary>Takes everything out (on dispose).</summary>
    public IEnumerable<T> Drain()
    {
        for (var i = 0; i < _items.Length; i++)
        {
            if (Interlocked.Exchange(ref _items[i], null) is { } item)
                yield return item;
        }
    }
}
