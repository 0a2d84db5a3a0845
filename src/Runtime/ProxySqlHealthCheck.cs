using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ProxySql;

/// <summary>
/// Reports a <see cref="ProxySqlDatabases"/>'s peers: Healthy when every peer is Up, Degraded when some are not
/// (Down, Draining or Disabled), Unhealthy when none can take a new connection. The description names each peer.
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
    /// <param name="failureStatus">What "none can serve" reports (the registration's failure status).</param>
    /// <returns>The status, a description naming every peer, and each peer's state as data.</returns>
    public static HealthCheckResult Evaluate(IReadOnlyList<ProxySqlPeer> peers, HealthStatus failureStatus = HealthStatus.Unhealthy)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var up = 0;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var description = new StringBuilder();
        foreach (var peer in peers)
        {
            var state = peer.State;
            if (state == ProxySqlPeerState.Up)
                up++;
            data[peer.Name] = state.ToString();
            if (description.Length > 0)
                description.Append("; ");
            description.Append(CultureInfo.InvariantCulture, $"{peer.Name} {state} ({peer.ConnectionsInUse} in use)");
            if (state is ProxySqlPeerState.Down or ProxySqlPeerState.Draining && peer.LastError is { } error)
                description.Append(": ").Append(error);
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"{up} of {peers.Count} ProxySQL peers Up: {description}");
        if (up == 0)
            return new HealthCheckResult(failureStatus, summary, data: data);
        return up == peers.Count ? HealthCheckResult.Healthy(summary, data) : HealthCheckResult.Degraded(summary, data: data);
    }
}
