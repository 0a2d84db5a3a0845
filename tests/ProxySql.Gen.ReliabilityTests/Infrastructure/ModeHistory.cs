namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Every mode a faulted peer has been in, with when (Stopwatch timestamps), so a test can ask after the fact whether the
/// peer could serve during an operation. The owner records on the safe side: a fault from just before it is applied, a
/// restore from just after, so an excused error is never blamed on a peer that was in fact healthy.
/// </summary>
internal sealed class ModeHistory<TMode>(TMode up)
    where TMode : struct, Enum
{
    private readonly Lock _gate = new();
    private readonly List<(long At, TMode Mode)> _changes = [(0, up)];

    public TMode Up { get; } = up;

    public TMode Current
    {
        get
        {
            lock (_gate)
                return _changes[^1].Mode;
        }
    }

    public void Record(long at, TMode mode)
    {
        lock (_gate)
            _changes.Add((at, mode));
    }

    /// <summary>Whether the peer was Up at every instant of [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool UpThroughout(long from, long to)
    {
        lock (_gate)
        {
            var index = IndexAt(from);
            if (!EqualityComparer<TMode>.Default.Equals(_changes[index].Mode, Up))
                return false;
            return index == _changes.Count - 1 || _changes[index + 1].At > to;
        }
    }

    /// <summary>Whether the peer was in one of <paramref name="modes"/> at some instant of [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool InAnyDuring(long from, long to, params TMode[] modes)
    {
        lock (_gate)
        {
            var start = IndexAt(from);
            for (var i = start; i < _changes.Count && (i == start || _changes[i].At <= to); i++)
            {
                if (Array.IndexOf(modes, _changes[i].Mode) >= 0)
                    return true;
            }

            return false;
        }
    }

    private int IndexAt(long at)
    {
        var index = 0;
        for (var i = 1; i < _changes.Count && _changes[i].At <= at; i++)
            index = i;
        return index;
    }
}
