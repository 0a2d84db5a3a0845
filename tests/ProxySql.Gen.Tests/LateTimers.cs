using Microsoft.Extensions.Time.Testing;

namespace ProxySql.Tests;

/// <summary>
/// Fake time whose timer callbacks can be held back and run later, as in a process starved of CPU or thread-pool
/// threads: the clock moves on while no timer callback runs, then they all run late.
/// </summary>
internal sealed class LateTimers(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Queue<(TimerCallback Callback, object? State)> _held = new();
    private readonly Lock _gate = new();
    private bool _holding;

    /// <summary>From now on, timer callbacks that come due wait for <see cref="RunHeldCallbacks"/>.</summary>
    public void HoldCallbacks()
    {
        lock (_gate)
            _holding = true;
    }

    /// <summary>Stops holding and runs every held callback, in the order they came due, at the current fake time.</summary>
    public void RunHeldCallbacks()
    {
        List<(TimerCallback Callback, object? State)> due;
        lock (_gate)
        {
            _holding = false;
            due = [.. _held];
            _held.Clear();
        }

        foreach (var (callback, state) in due)
            callback(state);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        base.CreateTimer(s => Fire(callback, s), state, dueTime, period);

    private void Fire(TimerCallback callback, object? state)
    {
        lock (_gate)
        {
            if (_holding)
            {
                _held.Enqueue((callback, state));
                return;
            }
        }

        callback(state);
    }
}
