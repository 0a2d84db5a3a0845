using System.Threading.Tasks.Sources;

namespace ProxySql.Core;

/// <summary>
/// Awaits a task or a delay, whichever ends first, without allocating: instances are pooled and own their timer.
/// Used on the open path to decide when to hedge.
/// </summary>
/// <remarks>
/// Two parties hold an instance while it is in use: the awaiting caller (released in <see cref="GetResult"/>)
/// and the task continuation (released when the task completes, even after the delay won). Only when both let
/// go does it go back to the pool, so a late continuation can never signal a later use. A late timer tick is
/// recognised by its deadline.
/// </remarks>
internal sealed class TaskOrDelay : IValueTaskSource<bool>, IDisposable
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Done = 2;

    private readonly TimeProvider _time;
    private readonly ObjectPool<TaskOrDelay> _pool;
    private readonly ITimer _timer;
    private readonly Action _onTaskCompleted;
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;
    private int _owners;
    private long _deadline;
    private CancellationTokenRegistration _cancellation;

    private TaskOrDelay(TimeProvider time, ObjectPool<TaskOrDelay> pool)
    {
        _time = time;
        _pool = pool;
        _onTaskCompleted = OnTaskCompleted;

        // A pooled timer must not capture the first renter's ExecutionContext.
        var restoreFlow = !ExecutionContext.IsFlowSuppressed();
        var flow = restoreFlow ? ExecutionContext.SuppressFlow() : default;
        try
        {
            _timer = time.CreateTimer(static s => ((TaskOrDelay)s!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            if (restoreFlow)
                flow.Undo();
        }
    }

    /// <summary>
    /// Completes with <see langword="true"/> when <paramref name="task"/> completes first, <see langword="false"/> when
    /// <paramref name="delay"/> passes or <paramref name="cancellationToken"/> is cancelled first.
    /// </summary>
    public static ValueTask<bool> WaitAsync(Task task, TimeSpan delay, TimeProvider time, ObjectPool<TaskOrDelay> pool, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
            return new ValueTask<bool>(true);
        var waiter = pool.TryRent() ?? new TaskOrDelay(time, pool);
        return waiter.Start(task, delay, cancellationToken);
    }

    public bool GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // Disposed before letting go, so no cancellation callback can reach a later use.
            _cancellation.Dispose();
            _cancellation = default;
            Release();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public void Dispose() => _timer.Dispose();

    private ValueTask<bool> Start(Task task, TimeSpan delay, CancellationToken cancellationToken)
    {
        _core.Reset();
        _owners = 2;
        _deadline = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
        Volatile.Write(ref _state, Waiting);
        var result = new ValueTask<bool>(this, _core.Version);
        _timer.Change(delay, Timeout.InfiniteTimeSpan);
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onTaskCompleted);
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(static s => ((TaskOrDelay)s!).OnCancelled(), this);
        return result;
    }

    private void OnTaskCompleted()
    {
        // The timer stays armed: disarming costs a timer-queue lock on every open, while a tick after the task won
        // finds the state no longer Waiting (or a later use's own deadline) and does nothing; reuse re-arms it anyway.
        if (Interlocked.CompareExchange(ref _state, Done, Waiting) == Waiting)
            _core.SetResult(true);

        Release();
    }

    private void OnTimer()
    {
        if (Volatile.Read(ref _state) != Waiting)
            return;

        // Early: a tick left over from an earlier use, or a timer coarser than the timestamp. Re-arm for the rest
        // (a leftover tick re-arms for this use's own deadline, which changes nothing).
        var remaining = Volatile.Read(ref _deadline) - _time.GetTimestamp();
        if (remaining > 0)
        {
            _timer.Change(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), Timeout.InfiniteTimeSpan);
            return;
        }

        if (Interlocked.CompareExchange(ref _state, Done, Waiting) == Waiting)
            _core.SetResult(false);
    }

    private void OnCancelled()
    {
        if (Interlocked.CompareExchange(ref _state, Done, Waiting) == Waiting)
            _core.SetResult(false);
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _owners) != 0)
            return;
        Volatile.Write(ref _state, Idle);
        if (!_pool.TryReturn(this))
            Dispose();
    }
}
