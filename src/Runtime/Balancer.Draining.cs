using ProxySql.Balancing;
using ProxySql.Diagnostics;

namespace ProxySql;

/// <summary>
/// Background probing and draining. A paused ProxySQL (<c>PROXYSQL PAUSE</c>) refuses new connections but keeps
/// serving open ones, so a pool would reuse its idle sessions forever: every probe interval each peer gets a new,
/// unpooled connection; a refused or silent one drains the peer.
/// </summary>
internal sealed partial class Balancer
{
    private ITimer StartProbing()
    {
        var interval = Settings.ProbeInterval;

        // A timer, not a loop: nothing holds the process alive, and fake time in tests sees it at once.
        var restoreFlow = !ExecutionContext.IsFlowSuppressed();
        var flow = restoreFlow ? ExecutionContext.SuppressFlow() : default;
        try
        {
            return _time.CreateTimer(static s => ((Balancer)s!).OnProbeTimer(), this, interval, interval);
        }
        finally
        {
            if (restoreFlow)
                flow.Undo();
        }
    }

    /// <summary>Whether a probe round is under way (tests on fake time wait for it to settle).</summary>
    internal bool ProbeRoundRunning => Volatile.Read(ref _probeRoundRunning) != 0;

    private void OnProbeTimer()
    {
        // One round at a time: a round slower than the interval skips a tick rather than piling up.
        if (Volatile.Read(ref _disposed) != 0 || Interlocked.CompareExchange(ref _probeRoundRunning, 1, 0) != 0)
            return;
        Volatile.Write(ref _probeRound, ProbeRoundAsync());
    }

    private async Task ProbeRoundAsync()
    {
        try
        {
            var stopping = _stoppingToken;
            var probes = new Task[_peers.Length];
            for (var i = 0; i < _peers.Length; i++)
                probes[i] = BackgroundProbeAsync(_peers[i], stopping);
            await Task.WhenAll(probes).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _probeRoundRunning, 0);
        }
    }

    private async Task BackgroundProbeAsync(ProxySqlPeer peer, CancellationToken stopping)
    {
        await Task.Yield();
        var settings = peer.Settings;
        if (!settings.Enabled || stopping.IsCancellationRequested)
            return;
        var epoch = peer.Health.Epoch;
        using var timeout = new CancellationTokenSource(Settings.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token);
        Exception? error = null;
        try
        {
            await _connector.ProbeAsync(settings.ProbeConnectionString, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Any probe failure is classified; none may escape the background loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        // Reloaded meanwhile: this probe tested the old settings.
        if (!ReferenceEquals(settings, peer.Settings))
            return;
        if (error is null)
            OnProbeSucceeded(peer, epoch);
        else
            OnProbeFailed(peer, FailureClassifier.Classify(error, attemptTimedOut: timeout.IsCancellationRequested, callerCancelled: false), error);
    }

    /// <summary>A new connection opened: the peer is not paused, and not Down either.</summary>
    internal void OnProbeSucceeded(ProxySqlPeer peer, int epoch)
    {
        if (peer.Health.SetDraining(false, _time.GetUtcNow()))
            Log.PeerResumed(_logger, peer.Name, peer.Settings.Endpoint);
        if (peer.Health.MarkUp(epoch))
            Log.PeerUp(_logger, peer.Name, peer.Settings.Endpoint);
    }

    /// <summary>
    /// A new connection failed. Refused, silent or cut: the node does not take new sessions (paused or going away),
    /// so drain it. Other failures (credentials, too many connections) are the open path's business.
    /// </summary>
    internal void OnProbeFailed(ProxySqlPeer peer, FailureKind kind, Exception error)
    {
        if (kind is not (FailureKind.Refused or FailureKind.Timeout or FailureKind.Reset or FailureKind.EndOfStream or FailureKind.Unreachable))
            return;
        var reason = FailureClassifier.Reason(kind);
        if (!peer.Health.SetDraining(true, _time.GetUtcNow(), $"draining: probe {reason}: {error.Message}"))
            return;
        _telemetry.MarkedDown(peer.Name, "draining");
        var inUse = peer.ConnectionsInUse;
        Log.PeerDraining(_logger, peer.Name, peer.Settings.Endpoint, reason, inUse);
        _ = ClearPoolQuietlyAsync(peer.Name, peer.Settings.ConnectionString);
        if (inUse == 0)
            Log.PeerDrained(_logger, peer.Name, peer.Settings.Endpoint);
    }
}
