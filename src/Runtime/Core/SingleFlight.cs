namespace ProxySql.Core;

/// <summary>Runs at most one operation at a time; callers arriving meanwhile share its task.</summary>
/// <typeparam name="T">The result.</typeparam>
internal sealed class SingleFlight<T>
{
    private readonly Lock _gate = new();
    private Task<T>? _current;

    /// <summary>The running operation's task, or a new one from <paramref name="start"/>.</summary>
    public Task<T> Run<TState>(Func<TState, Task<T>> start, TState state)
    {
        lock (_gate)
        {
            if (_current is { IsCompleted: false } running)
                return running;
            _current = start(state);
            return _current;
        }
    }
}
