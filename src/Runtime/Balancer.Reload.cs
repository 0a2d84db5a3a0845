using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using ProxySql.Configuration;
using ProxySql.Diagnostics;

namespace ProxySql;

/// <summary>Live reload: new connection strings, weights, Enabled flags and intervals apply without restart.</summary>
internal sealed partial class Balancer
{
    private readonly Lock _reloadGate = new();

    internal void WatchConfiguration(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults) =>
        _configurationWatch = ChangeToken.OnChange(configuration.GetReloadToken, () => Reload(configuration, sectionName, peers, defaults));

    private void Reload(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults)
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        BalancerSettings next;
        try
        {
            next = SettingsReader.Read(configuration, sectionName, peers, defaults);
        }
        catch (ProxySqlConfigurationException ex)
        {
            // The message names the path and never holds a secret.
            Log.ReloadRejected(_logger, ex.Message);
            return;
        }

        Apply(next);
    }

    /// <summary>
    /// Swaps in <paramref name="next"/>. A changed connection string retires the old pool the way a drain does (idle
    /// sessions closed now, sessions in use closed when returned) and starts the peer afresh; a disabled peer drains.
    /// </summary>
    internal void Apply(BalancerSettings next)
    {
        lock (_reloadGate)
        {
            var summary = new StringBuilder();
            var previous = Settings;
            Volatile.Write(ref _settings, next);
            if (previous.ProbeInterval != next.ProbeInterval)
                _probeTimer.Change(next.ProbeInterval, next.ProbeInterval);
            for (var i = 0; i < _peers.Length; i++)
            {
                var peer = _peers[i];
                var old = peer.Settings;
                var now = next.Peers[i];
                if (old == now)
                    continue;
                peer.Settings = now;
                if (old.ConnectionString != now.ConnectionString)
                {
                    summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: connection string changed ({old.Endpoint} -> {now.Endpoint}), old pool retired with {peer.ConnectionsInUse} in use; ");
                    peer.Health.Reset();
                    _ = ClearPoolQuietlyAsync(peer.Name, old.ConnectionString);
                }

                if (old.Enabled && !now.Enabled)
                {
                    summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: disabled, draining {peer.ConnectionsInUse} in use; ");
                    _ = ClearPoolQuietlyAsync(peer.Name, now.ConnectionString);
                }
                else if (!old.Enabled && now.Enabled)
                {
                    summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: enabled; ");
                }

                if (old.Weight != now.Weight)
                    summary.Append(CultureInfo.InvariantCulture, $"{peer.Name}: weight {old.Weight} -> {now.Weight}; ");
            }

            Log.Reloaded(_logger, summary.Length == 0 ? "no peer changed" : summary.ToString(0, summary.Length - 2));
        }
    }
}
