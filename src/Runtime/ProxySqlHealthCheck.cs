using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ProxySql.Diagnostics;

namespace ProxySql;

/// <summary>
/// Reports a <see cref="ProxySqlDatabases"/>'s peers. Only peers known to be Up count: a peer not checked yet since
/// start (<see cref="ProxySqlPeerState.Unknown"/>) is not. Peers disabled in configuration are listed but do not
/// count against the result.
/// <list type="bullet">
/// <item><description>Healthy: every enabled peer is Up.</description></item>
/// <item><description>Degraded: at least one enabled peer is Up, some are Down, Draining or not checked yet.</description></item>
/// <item><description>The registration's failure status (Unhealthy by default): no enabled peer is known Up, including right
/// after start before the first probe has answered, so a readiness probe does not send traffic to an app that cannot serve.</description></item>
/// </list>
/// <see cref="HealthCheckResult.Data"/> holds, per peer name, its <c>state</c>, <c>reason</c>, <c>lastError</c>,
/// <c>lastErrorAt</c>, <c>inUse</c> and <c>enabled</c>, which the usual JSON health writers print.
/// </summary>
public sealed class ProxySqlHealthCheck : IHealthCheck
{
    private readonly ProxySqlDatabases _databases;

    /// <summary>Creates the check for <paramref name="databases"/>.</summary>
    /// <param name="databases">The databases whose peers are reported.</param>
    public ProxySqlHealthCheck(ProxySqlDatabases databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        _databases = databases;
    }

    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Evaluate(_databases.Peers, context.Registration.FailureStatus));
    }

    /// <summary>The result for <paramref name="peers"/>.</summary>
    /// <param name="peers">The peers to report.</param>
    /// <param name="failureStatus">What "no enabled peer known Up" reports (the registration's failure status).</param>
    /// <returns>The status, a description naming every peer, and each peer's state, reason, last error and use as data.</returns>
    public static HealthCheckResult Evaluate(IReadOnlyList<ProxySqlPeer> peers, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var reports = new ProxySqlPeerReport[peers.Count];
        for (var i = 0; i < reports.Length; i++)
            reports[i] = ProxySqlPeerReport.Of(peers[i]);
        return Evaluate(reports, failureStatus);
    }

    internal static HealthCheckResult Evaluate(IReadOnlyList<ProxySqlPeerReport> peers, HealthStatus failureStatus)
    {
        var up = 0;
        var enabled = 0;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var description = new StringBuilder();
        foreach (var peer in peers)
        {
            if (peer.Enabled && peer.State != ProxySqlPeerState.Disabled)
            {
                enabled++;
                if (peer.State == ProxySqlPeerState.Up)
                    up++;
            }

            data[peer.Name] = Describe(peer);
            if (description.Length > 0)
                description.Append("; ");
            Append(description, peer);
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"{up} of {enabled} enabled ProxySQL peers Up: {description}");
        if (up == 0)
            return new HealthCheckResult(failureStatus, summary, data: data);
        return up == enabled ? HealthCheckResult.Healthy(summary, data) : HealthCheckResult.Degraded(summary, data: data);
    }

    private static Dictionary<string, object?> Describe(in ProxySqlPeerReport peer) => new(StringComparer.Ordinal)
    {
        ["state"] = peer.State.ToString(),
        ["reason"] = TelemetryNames.Reason(peer.Reason),
        ["lastError"] = peer.LastError,
        ["lastErrorAt"] = peer.LastErrorAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["inUse"] = peer.ConnectionsInUse,
        ["enabled"] = peer.Enabled,
    };

    private static void Append(StringBuilder text, in ProxySqlPeerReport peer)
    {
        text.Append(peer.Name).Append(' ').Append(peer.State.ToString());
        if (peer.Reason != ProxySqlPeerStateReason.None && peer.State != ProxySqlPeerState.Disabled)
            text.Append(", ").Append(TelemetryNames.Reason(peer.Reason));
        if (peer.State == ProxySqlPeerState.Unknown)
            text.Append(" (not checked yet)");
        else
            text.Append(CultureInfo.InvariantCulture, $" ({peer.ConnectionsInUse} in use)");

        // The last error is history once a peer is Up again: only shown while it explains why the peer is out.
        if (peer.State is ProxySqlPeerState.Down or ProxySqlPeerState.Draining && peer.LastError is { } error)
        {
            text.Append(": ").Append(error);
            if (peer.LastErrorAt is { } at)
                text.Append(" at ").Append(at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
    }
}
