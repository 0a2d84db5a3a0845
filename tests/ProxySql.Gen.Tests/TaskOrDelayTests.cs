using Microsoft.Extensions.Time.Testing;
using ProxySql.Core;

namespace ProxySql.Tests;

public sealed class TaskOrDelayTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ObjectPool<TaskOrDelay> _pool = new(4);

    /// <summary>The task's continuation runs on the thread pool under xunit's context: wait for the waiter to come back.</summary>
    private Task UntilReturnedAsync() => TestBalancers.UntilAsync(
        () =>
        {
            if (_pool.TryRent() is not { } waiter)
                return false;
            _pool.TryReturn(waiter);
            return true;
        },
        "waiter back in the pool");

    [Fact]
    public async Task A_completed_task_wins_without_renting_a_waiter()
    {
        Assert.True(await TaskOrDelay.WaitAsync(Task.CompletedTask, TimeSpan.FromSeconds(1), _time, _pool, CancellationToken.None));
        Assert.Null(_pool.TryRent());
    }

    [Fact]
    public async Task Task_completing_before_the_delay_wins_and_the_waiter_goes_back_to_the_pool()
    {
        var open = new TaskCompletionSource();
        var wait = TaskOrDelay.WaitAsync(open.Task, TimeSpan.FromMilliseconds(100), _time, _pool, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(wait.IsCompleted);
        open.SetResult();
        Assert.True(await wait);
        await UntilReturnedAsync();
    }

    [Fact]
    public async Task Delay_passing_first_returns_false_and_the_waiter_returns_only_once_the_task_ends()
    {
        var open = new TaskCompletionSource();
        var wait = TaskOrDelay.WaitAsync(open.Task, TimeSpan.FromMilliseconds(100), _time, _pool, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(await wait);
        Assert.Null(_pool.TryRent());
        open.SetResult();
        await UntilReturnedAsync();
    }

    [Fact]
    public async Task A_reused_waiter_ignores_signals_from_its_previous_use()
    {
        var first = new TaskCompletionSource();
        var firstWait = TaskOrDelay.WaitAsync(first.Task, TimeSpan.FromMilliseconds(100), _time, _pool, CancellationToken.None);
        first.SetResult();
        Assert.True(await firstWait);
        await UntilReturnedAsync();

        // Same pooled waiter, new task: the old timer (100 ms) must not end this wait (500 ms).
        var second = new TaskCompletionSource();
        var secondWait = TaskOrDelay.WaitAsync(second.Task, TimeSpan.FromMilliseconds(500), _time, _pool, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.False(secondWait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(await secondWait);
    }

    [Fact]
    public async Task A_tick_left_from_a_won_wait_does_not_end_the_next_use_early()
    {
        var first = new TaskCompletionSource();
        var firstWait = TaskOrDelay.WaitAsync(first.Task, TimeSpan.FromMilliseconds(100), _time, _pool, CancellationToken.None);
        first.SetResult();
        Assert.True(await firstWait);
        await UntilReturnedAsync();

        // The first use's timer is left armed when its task wins; its tick on the idle waiter changes nothing.
        _time.Advance(TimeSpan.FromMilliseconds(150));
        var second = new TaskCompletionSource();
        var secondWait = TaskOrDelay.WaitAsync(second.Task, TimeSpan.FromMilliseconds(100), _time, _pool, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(secondWait.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(await secondWait);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_at_once()
    {
        using var cancel = new CancellationTokenSource();
        var wait = TaskOrDelay.WaitAsync(new TaskCompletionSource().Task, TimeSpan.FromSeconds(10), _time, _pool, cancel.Token);
        await cancel.CancelAsync();
        Assert.False(await wait);
    }
}
