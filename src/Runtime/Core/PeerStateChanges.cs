using ProxySql.Configuration;
using ProxySql.Diagnostics;

namespace ProxySql.Core;

/// <summary>
/// Every change of a peer's state and its side effects, in one place: the transition itself, the log line, the
/// metric, and retiring the peer's pool when its sessions are dead, paused or point elsewhere.
/// </summary>
internal sealed class PeerStateChanges(Balancer balancer)
{
    /// <summary>Takes <paramref name="peer"/> out of rotation for <paramref name="reason"/> until a probe succeeds.</summary>
    public void MarkDown(ProxySqlPeer peer, FailureKind kind, ProxySqlPeerStateReason reason, Exception error)
    {
        // A paused node refuses new connections by design: an attempt that began before the pause was seen and is
        // refused now says nothing new, and must not turn Draining (whose sessions drain) into Down. The prober keeps a
        // paused node Draining the same way.
        if (reason == ProxySqlPeerStateReason.Refused && peer.Health.IsDraining)
            return;
        var settings = balancer.Settings;
        var now = balancer.Time.GetUtcNow();

        // Up to 10% later, so a fleet of applications does not retry a peer in lockstep.
        var retryAfter = settings.CheckInterval + (settings.CheckInterval * (0.1 * balancer.NextJitter()));
        var name = StateReasons.Name(reason);
        if (!peer.Health.MarkDown(now, now + retryAfter, kind, reason, $"{name}: {error.Message}"))
            return;
        balancer.Telemetry.MarkedDown(peer.Name, reason);
        if (reason == ProxySqlPeerStateReason.Configuration)
            Log.PeerConfigurationError(balancer.Logger, peer.Name, peer.Settings.Endpoint, error.Message);
        else
            Log.PeerDown(balancer.Logger, peer.Name, peer.Settings.Endpoint, (long)retryAfter.TotalMilliseconds, name, error.Message);
        if (StateReasons.SessionsAreDead(reason))
            Retire(peer, peer.Settings);

        // Declared dead while it may still hold statements: cut them if asked to. Never for a pause or a disable.
        if (settings.ShutdownSessionsOnMarkDown && reason is ProxySqlPeerStateReason.Timeout or ProxySqlPeerStateReason.BackendUnavailable && peer.ConnectionsInUse > 0)
            balancer.RunInBackground(peer.Name, SessionShutdown.CutAsync(balancer, peer));
    }

    /// <summary>The node is paused: no new leases, idle sessions closed now, sessions in use closed when returned.</summary>
    public void MarkDraining(ProxySqlPeer peer, Exception refusal)
    {
        if (!peer.Health.MarkDraining(balancer.Time.GetUtcNow(), $"paused: new connections refused while an open session answers: {refusal.Message}"))
            return;
        balancer.Telemetry.MarkedDown(peer.Name, ProxySqlPeerStateReason.Paused, ProxySqlPeerState.Draining);
        var inUse = peer.ConnectionsInUse;
        Log.PeerDraining(balancer.Logger, peer.Name, peer.Settings.Endpoint, "paused", inUse);
        Retire(peer, peer.Settings);
        if (inUse == 0)
            Log.PeerDrained(balancer.Logger, peer.Name, peer.Settings.Endpoint);
    }

    /// <summary>A check that began in <paramref name="epoch"/> succeeded: the peer serves again.</summary>
    public void MarkUp(ProxySqlPeer peer, int epoch)
    {
        var left = peer.Health.MarkUp(epoch, balancer.Time.GetUtcNow());
        if (left == ProxySqlPeerState.Draining)
            Log.PeerResumed(balancer.Logger, peer.Name, peer.Settings.Endpoint);
        else if (left == ProxySqlPeerState.Down)
            Log.PeerUp(balancer.Logger, peer.Name, peer.Settings.Endpoint);
    }

    /// <summary>The peer now points elsewhere: not checked yet, nothing learned about the old endpoint kept, old pool retired.</summary>
    public void StartAfresh(ProxySqlPeer peer, PeerSettings next)
    {
        peer.Health.Reset();
        peer.Load.Reset();
        Retire(peer, next);
        balancer.RunInBackground(peer.Name, balancer.Prober.RecheckAsync(peer));
    }

    /// <summary>Disabled in configuration: drains like a pause, the probe session included.</summary>
    public void Disabled(ProxySqlPeer peer)
    {
        Retire(peer, peer.Settings);
        balancer.RunInBackground(peer.Name, balancer.Prober.ForgetAsync(peer));
    }

    private void Retire(ProxySqlPeer peer, PeerSettings next) => balancer.RunInBackground(peer.Name, peer.Pool.RetireAsync(next));
}
