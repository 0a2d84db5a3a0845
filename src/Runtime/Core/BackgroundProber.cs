using MySqlConnector;
using ProxySql.Configuration;
using ProxySql.Diagnostics;

namespace ProxySql.Core;

/// <summary>
/// Checks every peer once at start and then every probe interval, and answers on-demand checks (a Down peer whose
/// retry time came, every peer down), one at a time per peer.
/// </summary>
/// <remarks>
/// <para>Per peer it keeps one unpooled probe session. A round checks the listener with a bare TCP connect (a paused
/// ProxySQL refuses new connections but keeps serving open ones, so a pooled client never notices a pause), then runs
/// the probe statement on the kept session with the probe timeout (a node whose backends are gone still completes
/// handshakes and answers COM_PING itself, so only a statement shows it). Per peer and round that is one TCP connect
/// and one statement; a MySQL handshake only when the kept session has to be replaced.</para>
/// <para>A refused listener is told apart by asking the kept session: if it still answers, the node is paused
/// (Draining) and the session is closed so that the node can drain to zero; if it does not, or there is none, the
/// node is Down (refused).</para>
/// </remarks>
internal sealed class BackgroundProber : IAsyncDisposable
{
    private readonly Balancer _balancer;
    private readonly SingleFlight<ProbeResult>[] _flights;
    private readonly MySqlConnection?[] _kept;
    private readonly ITimer _timer;
    private int _roundRunning;
    private Task? _round;
    private int _disposed;

    public BackgroundProber(Balancer balancer)
    {
        _balancer = balancer;
        var count = balancer.Peers.Count;
        _flights = new SingleFlight<ProbeResult>[count];
        _kept = new MySqlConnection?[count];
        for (var i = 0; i < count; i++)
            _flights[i] = new SingleFlight<ProbeResult>();

        // A timer, not a loop: nothing holds the process alive, and fake time in tests sees it at once. The first
        // round starts now, on the thread pool, so a peer is not reported Up before it has been checked.
        var restoreFlow = !ExecutionContext.IsFlowSuppressed();
        var flow = restoreFlow ? ExecutionContext.SuppressFlow() : default;
        try
        {
            var interval = balancer.Settings.ProbeInterval;
            _timer = balancer.Time.CreateTimer(static s => ((BackgroundProber)s!).OnTimer(), this, interval, interval);
            OnTimer();
        }
        finally
        {
            if (restoreFlow)
                flow.Undo();
        }
    }

    /// <summary>Whether a round is under way (tests on fake time wait for it to settle).</summary>
    public bool RoundRunning => Volatile.Read(ref _roundRunning) != 0;

    /// <summary>The latest round, for diagnostics.</summary>
    public Task? LastRound => Volatile.Read(ref _round);

    public void ChangeInterval(TimeSpan interval) => _timer.Change(interval, interval);

    /// <summary>Checks <paramref name="peer"/> now, or joins the check under way; applies what it finds to the peer's state.</summary>
    public Task<ProbeResult> ProbeAsync(ProxySqlPeer peer) =>
        _flights[peer.Index].Run(static s => s.Prober.ProbeOnceAsync(s.Peer), (Prober: this, Peer: peer));

    /// <summary>Closes the kept probe session of <paramref name="peer"/> (it points elsewhere now, or is disabled).</summary>
    public ValueTask ForgetAsync(ProxySqlPeer peer) => new(DropKeptAsync(peer.Index));

    /// <summary>Forgets the old probe session of <paramref name="peer"/> and checks its new endpoint now.</summary>
    public async ValueTask RecheckAsync(ProxySqlPeer peer)
    {
        await DropKeptAsync(peer.Index).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0)
            await ProbeAsync(peer).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _timer.DisposeAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _round) is { } round)
            await round.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        for (var i = 0; i < _kept.Length; i++)
            await DropKeptAsync(i).ConfigureAwait(false);
    }

    private void OnTimer()
    {
        // One round at a time: a round slower than the interval skips a tick rather than piling up.
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.CompareExchange(ref _roundRunning, 1, 0) != 0)
            return;
        Volatile.Write(ref _round, RoundAsync());
    }

    private async Task RoundAsync()
    {
        try
        {
            var peers = _balancer.Peers;
            var probes = new Task[peers.Count];
            for (var i = 0; i < probes.Length; i++)
                probes[i] = peers[i].Enabled ? ProbeAsync(peers[i]) : DropKeptAsync(i);
            await Task.WhenAll(probes).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _roundRunning, 0);
        }
    }

    private async Task<ProbeResult> ProbeOnceAsync(ProxySqlPeer peer)
    {
        await Task.Yield();
        var stopping = _balancer.StoppingToken;
        if (stopping.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
            return ProbeResult.Cancelled(new ObjectDisposedException(nameof(ProxySqlDatabases)));
        var settings = peer.Settings;
        var epoch = peer.Health.Epoch;
        var started = _balancer.Time.GetTimestamp();
        ProbeResult result;
        try
        {
            result = await CheckAsync(peer, stopping).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
                return ProbeResult.Cancelled(new ObjectDisposedException(nameof(ProxySqlDatabases)));
        }
#pragma warning disable CA1031 // A probe is fire-and-forget for most callers: whatever it hits is its result, never an unobserved task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (stopping.IsCancellationRequested || Volatile.Read(ref _disposed) != 0)
                return ProbeResult.Cancelled(ex);
            result = new ProbeResult(false, FailureClassifier.Classify(ex, attemptTimedOut: false), ex);
        }

        // Reloaded meanwhile: this probe tested the old endpoint, and a session it kept belongs there.
        if (!ReferenceEquals(settings, peer.Settings) || (!result.Succeeded && result.Kind == FailureKind.Cancelled))
        {
            if (settings.ProbeConnectionString != peer.Settings.ProbeConnectionString)
                await DropKeptAsync(peer.Index).ConfigureAwait(false);
            return result;
        }

        // A serving peer's probe connect that timed out while this process stood still: no verdict; the next round decides.
        // (A Down peer stays Down: its retry time moves on as after any failed probe, so probes do not come back to back.)
        if (result.Kind == FailureKind.Timeout && !result.Succeeded && peer.Health.IsServing
            && _balancer.Stalls.Excuse(started, _balancer.Time.GetTimestamp(), settings.ConnectTimeout, out var stalled))
            return Excused(peer, stalled, result.Error);

        Apply(peer, epoch, result);
        return result;
    }

    private void Apply(ProxySqlPeer peer, int epoch, in ProbeResult result)
    {
        var changes = _balancer.StateChanges;
        if (result.Succeeded)
            changes.MarkUp(peer, epoch);
        else if (result.Kind == FailureKind.Paused)
            changes.MarkDraining(peer, result.Error!);
        else
            changes.MarkDown(peer, result.Kind, result.Kind == FailureKind.ProxySqlNoBackend ? ProxySqlPeerStateReason.BackendUnavailable : StateReasons.Of(result.Kind), result.Error!);
    }

    private async Task<ProbeResult> CheckAsync(ProxySqlPeer peer, CancellationToken stopping)
    {
        var settings = _balancer.Settings;
        var index = peer.Index;
        var connector = _balancer.Connector;
        try
        {
            if (Volatile.Read(ref _kept[index]) is not { } kept)
            {
                // No session to the node: open one, which also proves the listener.
                kept = peer.Pool.CreateProbeConnection();
                var connecting = connector.ConnectProbeAsync(kept, stopping);
                var opened = await WithinAsync(connecting, peer.Settings.ConnectTimeout, stopping).ConfigureAwait(false);
                if (opened is { } failure)
                {
                    Abandon(kept, connecting);
                    var failed = Failed(peer, failure.Error, failure.TimedOut);

                    // Full (1040), not gone: the sessions its pool already holds still serve, so check through one of those.
                    if (failed.Kind == FailureKind.TooManyConnections)
                        return await CheckThroughPoolAsync(peer, settings, stopping).ConfigureAwait(false) ?? failed;

                    // Paused before: its session was closed on purpose so the node can drain, and a refusal now is the pause going on.
                    return failed.Kind == FailureKind.Refused && peer.Health.IsDraining ? new ProbeResult(false, FailureKind.Paused, failure.Error) : failed;
                }

                // A full fence: DisposeAsync sets _disposed and then empties _kept, this stores and then reads _disposed.
                Interlocked.Exchange(ref _kept[index], kept);

                // Disposed meanwhile: the session kept after DisposeAsync dropped the others must not outlive it.
                if (Volatile.Read(ref _disposed) != 0)
                {
                    await DropKeptAsync(index).ConfigureAwait(false);
                    return ProbeResult.Cancelled(new ObjectDisposedException(nameof(ProxySqlDatabases)));
                }
            }
            else
            {
                var listener = await WithinAsync(connector.CheckListenerAsync(peer.Settings.ConnectionString, peer.Pool.CreateProbeConnection, stopping), peer.Settings.ConnectTimeout, stopping).ConfigureAwait(false);
                if (listener is { } failed)
                {
                    // Refused or silent, but is the node alive? ProxySQL answers COM_PING itself on a session it already
                    // has. A pause refuses new connects, and while PROXYSQL PAUSE runs (1–2 s) its listener may not answer
                    // at all; a node or network gone silent does not answer the ping either.
                    var ping = connector.PingAsync(kept, stopping);
                    var pinged = await WithinAsync(ping, settings.ProbeTimeout, stopping).ConfigureAwait(false);
                    Abandon(Interlocked.Exchange(ref _kept[index], null), ping);
                    if (pinged is null && ping.Result)
                        return new ProbeResult(false, FailureKind.Paused, failed.Error);
                    return Failed(peer, failed.Error, failed.TimedOut);
                }
            }

            var statementStarted = _balancer.Time.GetTimestamp();
            var running = connector.RunProbeStatementAsync(kept, settings.ProbeQuery, stopping);
            var statement = await WithinAsync(running, settings.ProbeTimeout, stopping).ConfigureAwait(false);
            if (statement is not { } broken)
                return ProbeResult.Success;

            // A statement still held by the node keeps this session busy: give it up and open another next time.
            Abandon(Interlocked.Exchange(ref _kept[index], null), running);

            // Slow, yet the application's leases on it kept coming back meanwhile: its backends answer, the probe was
            // just late (a loaded machine). No verdict, rather than taking a serving node out of rotation.
            if (broken.TimedOut && peer.Load.LastProgress > statementStarted)
                return ProbeResult.Cancelled(new TimeoutException("The probe statement was late, but leases on the peer returned meanwhile."));

            // Late while this process stood still: the statement's own time, not the whole probe's, is what counts.
            if (broken.TimedOut && peer.Health.IsServing && _balancer.Stalls.Excuse(statementStarted, _balancer.Time.GetTimestamp(), settings.ProbeTimeout, out var stalled))
                return Excused(peer, stalled, broken.Error);
            if (broken.TimedOut)
                return new ProbeResult(false, FailureKind.ProxySqlNoBackend, new TimeoutException($"The probe statement did not complete within the probe timeout of {settings.ProbeTimeout.TotalMilliseconds:0} ms (ProxySQL holds statements while no backend is reachable)."));
            var kind = FailureClassifier.Classify(broken.Error, attemptTimedOut: false);

            // Any other server error is the backend answering (a probe query it rejects is a configuration mistake, not an outage).
            if (broken.Error is MySqlException { Number: > 0 } && kind is not (FailureKind.ProxySqlNoBackend or FailureKind.TooManyConnections))
            {
                Log.ProbeStatementRejected(_balancer.Logger, peer.Name, broken.Error.Message);
                return ProbeResult.Success;
            }

            return new ProbeResult(false, kind, broken.Error);
        }
        catch (OperationCanceledException ex) when (stopping.IsCancellationRequested)
        {
            return ProbeResult.Cancelled(ex);
        }
    }

    /// <summary>Runs the probe statement on a pooled session of the peer; success, or <see langword="null"/> when that fails too.</summary>
    private async Task<ProbeResult?> CheckThroughPoolAsync(ProxySqlPeer peer, BalancerSettings settings, CancellationToken stopping)
    {
        var connector = _balancer.Connector;
        var pooled = peer.Pool.CreateConnection();
        var opening = connector.OpenAsync(pooled);
        if (await WithinAsync(opening, peer.Settings.ConnectTimeout, stopping).ConfigureAwait(false) is not null)
        {
            AbandonPooled(peer, pooled, opening);
            return null;
        }

        var running = connector.RunProbeStatementAsync(pooled, settings.ProbeQuery, stopping);
        var statement = await WithinAsync(running, settings.ProbeTimeout, stopping).ConfigureAwait(false);
        AbandonPooled(peer, pooled, running);
        return statement is null ? ProbeResult.Success : null;
    }

    /// <summary>A probe timeout this process's stall explains: no verdict, and a warning (at most one a second).</summary>
    private ProbeResult Excused(ProxySqlPeer peer, TimeSpan stalled, Exception? error)
    {
        if (_balancer.Stalls.ShouldReport())
            Log.TimeoutDuringStall(_balancer.Logger, "probe", peer.Name, (long)stalled.TotalMilliseconds);
        return ProbeResult.Cancelled(new TimeoutException($"The probe timed out while this process stood still for {stalled.TotalMilliseconds:0} ms.", error));
    }

    private static ProbeResult Failed(ProxySqlPeer peer, Exception error, bool timedOut)
    {
        var kind = FailureClassifier.Classify(error, attemptTimedOut: timedOut);
        return new ProbeResult(false, kind, timedOut ? new TimeoutException($"The probe did not connect within the connect timeout of {peer.Settings.ConnectTimeout.TotalMilliseconds:0} ms.", error) : error);
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="timeout"/>; the failure, or <see langword="null"/> when it succeeded in time.</summary>
    internal async Task<(Exception Error, bool TimedOut)?> WithinAsync(Task task, TimeSpan timeout, CancellationToken stopping)
    {
        await task.WaitAsync(timeout, _balancer.Time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Observe a failure before anything else, also when stopping: a statement on a session that DisposeAsync closes
        // ends faulted later, and nobody else awaits it.
        if (!task.IsCompleted)
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        else if (task.IsFaulted)
            _ = task.Exception;
        if (task.IsCompletedSuccessfully)
            return null;

        // Stopping is a failure like the others, not a throw: every caller then closes what the task was opening or using.
        if (stopping.IsCancellationRequested)
            return (new OperationCanceledException(stopping), false);
        if (!task.IsCompleted)
            return (new TimeoutException("timed out"), true);

        return (task.Exception?.InnerException ?? new OperationCanceledException(), false);
    }

    private async Task DropKeptAsync(int index)
    {
        if (Interlocked.Exchange(ref _kept[index], null) is { } kept)
            await kept.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes a session once <paramref name="pending"/> (its open, ping or statement) has ended, without waiting for it
    /// here: disposing it while an open is still under way would let that open finish into a session nobody closes.
    /// </summary>
    internal void Abandon(MySqlConnection? session, Task pending)
    {
        if (session is not null)
            _balancer.RunInBackground("probe", CloseAfterAsync(session, pending));
    }

    /// <summary>As <see cref="Abandon"/>, for a session of the peer's pool: its release also re-clears retired pools.</summary>
    private void AbandonPooled(ProxySqlPeer peer, MySqlConnection session, Task pending) =>
        _balancer.RunInBackground("probe", CloseAfterAsync(session, pending, peer.Pool));

    private static async ValueTask CloseAfterAsync(MySqlConnection session, Task pending, PeerPool? pool = null)
    {
        await pending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _ = pending.Exception;
        await session.DisposeAsync().ConfigureAwait(false);
        pool?.Released();
    }
}
