namespace ProxySql.Core;

/// <summary>
/// Failover and hedging for one open once its first attempt was slow or failed: attempts on further peers, one more
/// after each failure at once and one more each hedge delay while at most <c>1 + MaxHedgedAttempts</c> are in
/// flight; the first to open wins, the others are abandoned (closed when they open, and their peers take no new
/// opens until they resolve). Every attempt is settled at its own connect deadline.
/// </summary>
internal sealed class OpenRace
{
    private readonly Balancer _balancer;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Attempt> _inFlight = new(2);
    private ulong _tried;
    private OpenFailures _failures;

    private OpenRace(Balancer balancer, ulong tried, OpenFailures failures, CancellationToken cancellationToken)
    {
        _balancer = balancer;
        _tried = tried;
        _failures = failures;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Runs the race; <paramref name="first"/> is the slow attempt still in flight, or <see langword="null"/> when it failed.</summary>
    public static Task<RaceResult> RunAsync(Balancer balancer, Attempt? first, ulong tried, in OpenFailures failures, CancellationToken cancellationToken)
    {
        var race = new OpenRace(balancer, tried, failures, cancellationToken);
        if (first is not null)
            race._inFlight.Add(first);
        return race.RunAsync(startNow: true);
    }

    private async Task<RaceResult> RunAsync(bool startNow)
    {
        try
        {
            return await RaceAsync(startNow).ConfigureAwait(false);
        }
        catch
        {
            // Disposed meanwhile (the next attempt could not be created): the attempts in flight still end, and are closed.
            foreach (var attempt in _inFlight)
                _balancer.Abandon(attempt, stuck: false);
            throw;
        }
    }

    private async Task<RaceResult> RaceAsync(bool startNow)
    {
        var maxInFlight = 1 + _balancer.Settings.MaxHedgedAttempts;
        while (true)
        {
            if (startNow && _inFlight.Count < maxInFlight && !_cancellationToken.IsCancellationRequested)
                StartNext();
            if (_inFlight.Count == 0)
                return new RaceResult(null, _failures);

            var hedging = _inFlight.Count < maxInFlight && _balancer.Eligible(_tried, startRecovery: false) != 0;
            var finishedInTime = await TaskOrDelay.WaitAsync(AnyOpen(), NextWake(hedging), _balancer.Time, _balancer.Waiters, _cancellationToken).ConfigureAwait(false);
            if (_cancellationToken.IsCancellationRequested)
            {
                foreach (var attempt in _inFlight)
                    _balancer.Abandon(attempt, stuck: false);
                return new RaceResult(null, _failures);
            }

            var failed = SettleFinishedAndLate(out var winner);
            if (winner is { } won)
            {
                foreach (var loser in _inFlight)
                    _balancer.Abandon(loser, stuck: true);
                return new RaceResult(won, _failures);
            }

            // A failure is replaced at once; a hedge starts when its delay passed with nothing finished.
            startNow = failed || !finishedInTime;
        }
    }

    private void StartNext()
    {
        if (_balancer.Select(_tried) is not { } next)
            return;
        if (_inFlight.Count > 0)
        {
            var slow = _inFlight[^1].Peer;
            _balancer.Telemetry.FailedOver(slow.Name, "hedge");
            Diagnostics.Log.Hedging(_balancer.Logger, slow.Name, (long)_balancer.HedgeDelay(slow).TotalMilliseconds);
        }

        _tried |= 1UL << next.Index;
        _inFlight.Add(_balancer.StartAttempt(next));
    }

    /// <summary>Until the earliest deadline, or the next hedge when one may start.</summary>
    private TimeSpan NextWake(bool hedging)
    {
        var time = _balancer.Time;
        var now = time.GetTimestamp();
        var wake = long.MaxValue;
        foreach (var attempt in _inFlight)
            wake = Math.Min(wake, attempt.Deadline);
        var untilDeadline = wake <= now ? TimeSpan.Zero : time.GetElapsedTime(now, wake);
        var hedgeDelay = _balancer.HedgeDelay(_inFlight[^1].Peer);
        return hedging && hedgeDelay < untilDeadline ? hedgeDelay : untilDeadline;
    }

    private Task AnyOpen() => _inFlight.Count == 1 ? _inFlight[0].Open : Task.WhenAny(_inFlight.ConvertAll(static a => a.Open));

    /// <summary>Settles every attempt that finished or reached its deadline. Returns whether any failed; <paramref name="winner"/> is the first that opened.</summary>
    private bool SettleFinishedAndLate(out AttemptOutcome? winner)
    {
        winner = null;
        var failed = false;
        var now = _balancer.Time.GetTimestamp();
        for (var i = 0; i < _inFlight.Count; i++)
        {
            var attempt = _inFlight[i];
            AttemptOutcome outcome;
            if (attempt.Open.IsCompleted)
                outcome = _balancer.Settle(attempt);
            else if (now >= attempt.Deadline && !_balancer.ExtendIfProcessStalled(attempt, now))
                outcome = _balancer.TimeOut(attempt);
            else
                continue; // still within its deadline, or given more time because the process stood still through it
            _inFlight.RemoveAt(i--);
            if (outcome.Succeeded && winner is null)
            {
                winner = outcome;
            }
            else if (outcome.Succeeded)
            {
                _balancer.RunInBackground(outcome.Peer.Name, ReleaseAsync(outcome));
            }
            else
            {
                _failures.Add(outcome);
                _balancer.NoteFailover(outcome);
                failed = true;
            }
        }

        return failed;
    }

    private static async ValueTask ReleaseAsync(AttemptOutcome outcome)
    {
        await outcome.Connection!.DisposeAsync().ConfigureAwait(false);
        outcome.Peer.Pool.Released();
    }

    /// <summary>The race's end: the winning attempt, or the failures when none opened.</summary>
    internal readonly record struct RaceResult(AttemptOutcome? Winner, OpenFailures Failures);
}
