using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using ProxySql.Configuration;
using ProxySql.Diagnostics;

namespace ProxySql.Core;

/// <summary>
/// Live reload: on each configuration change the section is read again; a valid result is applied (new connection
/// strings, weights, Enabled flags, strategy and timings), an invalid one is logged and the last good one kept.
/// </summary>
internal sealed class ConfigurationReload : IDisposable
{
    private readonly Balancer _balancer;
    private readonly Lock _gate = new();
    private IDisposable? _watch;

    private ConfigurationReload(Balancer balancer) => _balancer = balancer;

    public static ConfigurationReload Watch(Balancer balancer, IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults)
    {
        var reload = new ConfigurationReload(balancer);
        reload._watch = ChangeToken.OnChange(configuration.GetReloadToken, () => reload.Reload(configuration, sectionName, peers, defaults));
        return reload;
    }

    public void Dispose() => _watch?.Dispose();

    /// <summary>
    /// Swaps in <paramref name="next"/>. A changed connection string retires the old pool the way a drain does (idle
    /// sessions closed now, sessions in use closed when returned) and starts the peer afresh; a disabled peer drains.
    /// </summary>
    public static void Apply(Balancer balancer, BalancerSettings next)
    {
        var previous = balancer.Settings;
        var summary = new StringBuilder();
        DescribeSectionChanges(previous, next, summary);
        balancer.Apply(next);
        var peers = balancer.Peers;
        for (var i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            var old = peer.Settings;
            var now = next.Peers[i];
            if (old == now)
                continue;
            peer.Settings = now;
            if (old.ConnectionString != now.ConnectionString)
            {
                summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: connection string changed ({old.Endpoint} -> {now.Endpoint}), old pool retired with {peer.ConnectionsInUse} in use; ");
                balancer.StateChanges.StartAfresh(peer, now);
            }

            if (old.Enabled && !now.Enabled)
            {
                summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: disabled, draining {peer.ConnectionsInUse} in use; ");
                balancer.StateChanges.Disabled(peer);
            }
            else if (!old.Enabled && now.Enabled)
            {
                summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: enabled; ");
            }

            if (old.Weight != now.Weight)
                summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: weight {old.Weight} -> {now.Weight}; ");
        }

        // An unrelated change of the root configuration fires the token too: only a real change is logged.
        if (summary.Length > 0)
            Log.Reloaded(balancer.Logger, summary.ToString(0, summary.Length - 2));
    }

    private static void DescribeSectionChanges(BalancerSettings old, BalancerSettings next, StringBuilder summary)
    {
        Change(summary, "Strategy", old.Strategy, next.Strategy);
        Change(summary, "CheckInterval", old.CheckInterval, next.CheckInterval);
        Change(summary, "ConnectTimeout", old.ConnectTimeout, next.ConnectTimeout);
        Change(summary, "HedgeDelay", old.HedgeDelay, next.HedgeDelay);
        Change(summary, "ProbeInterval", old.ProbeInterval, next.ProbeInterval);
        Change(summary, "ProbeTimeout", old.ProbeTimeout, next.ProbeTimeout);
        Change(summary, "ProbeQuery", old.ProbeQuery, next.ProbeQuery);
        Change(summary, "MaxHedgedAttempts", old.MaxHedgedAttempts, next.MaxHedgedAttempts);
        Change(summary, "SlowStartWindow", old.SlowStartWindow, next.SlowStartWindow);
        Change(summary, "ShutdownSessionsOnMarkDown", old.ShutdownSessionsOnMarkDown, next.ShutdownSessionsOnMarkDown);
    }

    private static void Change<T>(StringBuilder summary, string name, T old, T next)
    {
        if (!EqualityComparer<T>.Default.Equals(old, next))
            summary.Append(CultureInfo.InvariantCulture, $"{name} {old} -> {next}; ");
    }

    private void Reload(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults)
    {
        BalancerSettings next;
        try
        {
            next = SettingsReader.Read(configuration, sectionName, peers, defaults);
        }
        catch (ProxySqlConfigurationException ex)
        {
            // The message names the path and never holds a secret.
            Log.ReloadRejected(_balancer.Logger, ex.Message);
            return;
        }

        lock (_gate)
            Apply(_balancer, next);
    }
}
