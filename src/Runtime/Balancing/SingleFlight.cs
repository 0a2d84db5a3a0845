namespace ProxySql.Balancing;

/// <summary>Runs at most one operation at a time; callers arriving meanwhile share its task.</summary>
/// <typeparam name="T">The result.</typeparam>
internal sealed class SingleFlight<T>
{
    private readonly Lock _gate = new();
    private Task<T>? _current;

    public bool IsRunning
    {
        get
        {
            lock (_gate)
                return _current is { IsCompleted: false };
        }
    }

    /// <summary>The running operation's task, or a new one from <paramref name="start"/>; <paramref name="started"/> says which.</summary>
    public Task<T> Run<TState>(Func<TState, Task<T>> start, TState state, out bool started)
    {
        lock (_gate)
        {
            if (_current is { IsCompleted: false } running)
            {
                started = false;
                return running;
            }

            started = true;
            _current = start(state);
            return _current;
        }
    }
}
