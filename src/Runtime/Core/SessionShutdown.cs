using System.Globalization;
using MySqlConnector;
using ProxySql.Diagnostics;

namespace ProxySql.Core;

/// <summary>
/// <c>ShutdownSessionsOnMarkDown</c> (HAProxy's <c>on-marked-down shutdown-sessions</c>): the sessions in use on a peer
/// declared dead are closed by the node, so their callers get an error now instead of at their command timeout.
/// MySqlConnector cannot abort a busy connection from another thread (closing it first drains the running statement),
/// so the cut is a <c>KILL CONNECTION</c> of each node-side session id, sent on a fresh session to the same node:
/// ProxySQL answers it itself, also with its backends gone (checked: 30 ms, the held statement ends with
/// "Lost connection"). A node that does not answer at all cannot be asked; its sessions wait for their own timeouts.
/// </summary>
internal static class SessionShutdown
{
    private const int UnknownThread = 1094;

    public static async ValueTask CutAsync(Balancer balancer, ProxySqlPeer peer)
    {
        var threads = peer.SessionsInUse.ServerThreads();
        if (threads.Count == 0)
            return;
        var prober = balancer.Prober;
        var connector = balancer.Connector;
        var stopping = balancer.StoppingToken;
        var session = peer.Pool.CreateProbeConnection();
        var pending = connector.ConnectProbeAsync(session, stopping);
        var cut = 0;
        try
        {
            if (await prober.WithinAsync(pending, peer.Settings.ConnectTimeout, stopping).ConfigureAwait(false) is { } refused)
            {
                if (stopping.IsCancellationRequested)
                    return;
                Log.SessionsNotCut(balancer.Logger, peer.Name, threads.Count, refused.Error.Message);
                return;
            }

            foreach (var thread in threads)
            {
                pending = connector.RunProbeStatementAsync(session, "KILL CONNECTION " + thread.ToString(CultureInfo.InvariantCulture), stopping);
                var failure = await prober.WithinAsync(pending, balancer.Settings.ProbeTimeout, stopping).ConfigureAwait(false);
                if (failure is null)
                    cut++;
                else if (stopping.IsCancellationRequested)
                    return;
                else if (failure.Value.Error is not MySqlException { Number: UnknownThread })
                {
                    // Closed meanwhile is fine; anything else means this session cannot do more.
                    Log.SessionsNotCut(balancer.Logger, peer.Name, threads.Count - cut, failure.Value.Error.Message);
                    return;
                }
            }

            Log.SessionsCut(balancer.Logger, peer.Name, cut, threads.Count);
        }
        finally
        {
            prober.Abandon(session, pending);
        }
    }
}
