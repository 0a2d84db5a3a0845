using System.Diagnostics;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Every mode a relay has been in, with when, so a test can ask after the fact whether a peer could serve during an
/// operation. Transitions are recorded on the safe side: a fault from just before the relay applies it, a restore from
/// just after, so an excused error is never blamed on a peer that was in fact healthy.
/// </summary>
internal sealed class ModeTimeline
{
    private readonly Lock _gate = new();
    private readonly List<(long At, RelayMode Mode)> _changes = [(0, RelayMode.Up)];

    public ModeTimeline(FaultRelay relay) => Relay = relay;

    public FaultRelay Relay { get; }

    public RelayMode Current
    {
        get
        {
            lock (_gate)
                return _changes[^1].Mode;
        }
    }

    /// <summary>Switches the relay to <paramref name="mode"/> and records when.</summary>
    public void Set(RelayMode mode)
    {
        lock (_gate)
        {
            if (_changes[^1].Mode == mode)
                return;
            if (mode == RelayMode.Up)
            {
                Relay.Mode = mode;
                _changes.Add((Stopwatch.GetTimestamp(), mode));
            }
            else
            {
                _changes.Add((Stopwatch.GetTimestamp(), mode));
                Relay.Mode = mode;
            }
        }
    }

    /// <summary>Whether the relay was Up at every instant of [<paramref name="from"/>, <paramref name="to"/>] (Stopwatch timestamps).</summary>
    public bool UpThroughout(long from, long to)
    {
        lock (_gate)
        {
            var index = IndexAt(from);
            if (_changes[index].Mode != RelayMode.Up)
                return false;
            return index == _changes.Count - 1 || _changes[index + 1].At > to;
        }
    }

    /// <summary>Whether the relay was in one of <paramref name="modes"/> at some instant of [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public bool InAnyDuring(long from, long to, params RelayMode[] modes)
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
