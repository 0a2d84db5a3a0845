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
        var change = SettingsChange.Between(balancer.Settings, next);
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
                balancer.StateChanges.StartAfresh(peer, now);
            if (old.Enabled && !now.Enabled)
                balancer.StateChanges.Disabled(peer);
        }

        // An unrelated change of the root configuration fires the token too: only a real change is logged.
        if (!change.IsEmpty)
            Log.Reloaded(balancer.Logger, change.Describe());
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
