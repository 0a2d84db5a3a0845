using System.Diagnostics;

namespace ProxySql.Demo;

/// <summary>What happened during the run, in order: the scenario's steps and the balancer's state changes.</summary>
internal sealed class EventLog(long startedAt)
{
    private readonly Lock _gate = new();
    private readonly List<DemoEvent> _events = [];

    /// <summary>Raised for every new event, on the thread that added it.</summary>
    public event Action<DemoEvent>? Added;

    public void Add(string text, EventKind kind = EventKind.Step)
    {
        var added = new DemoEvent(Stopwatch.GetElapsedTime(startedAt), text, kind);
        lock (_gate)
            _events.Add(added);
        Added?.Invoke(added);
    }

    public DemoEvent[] Last(int count)
    {
        lock (_gate)
            return [.. _events.Skip(Math.Max(0, _events.Count - count))];
    }
}

internal enum EventKind
{
    /// <summary>A step of the scripted scenario.</summary>
    Step,

    /// <summary>The balancer changed a peer's state.</summary>
    Balancer,

    /// <summary>Something that makes the run fail.</summary>
    Failure,

    /// <summary>A step that went as it should (a drain, a recovery).</summary>
    Good,
}

internal readonly record struct DemoEvent(TimeSpan At, string Text, EventKind Kind);
