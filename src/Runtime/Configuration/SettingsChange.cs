using System.Globalization;

namespace ProxySql.Configuration;

/// <summary>
/// What differs between two <see cref="BalancerSettings"/>: balancer-wide settings and peers added, removed or
/// changed (matched by name). Pure; a reload uses it to act on exactly what changed and to log it, or nothing.
/// </summary>
internal sealed class SettingsChange
{
    private SettingsChange(BalancerSettings previous, BalancerSettings next, BalancerSettingChanges settings, IReadOnlyList<PeerSettingsChange> peers)
    {
        Previous = previous;
        Next = next;
        Settings = settings;
        Peers = peers;
    }

    public BalancerSettings Previous { get; }

    public BalancerSettings Next { get; }

    /// <summary>The balancer-wide settings that changed.</summary>
    public BalancerSettingChanges Settings { get; }

    /// <summary>The peers that changed, in the new settings' order, then the removed ones in the old order.</summary>
    public IReadOnlyList<PeerSettingsChange> Peers { get; }

    /// <summary>Nothing the balancer reads changed (e.g. a reload of unrelated configuration).</summary>
    public bool IsEmpty => Settings == BalancerSettingChanges.None && Peers.Count == 0;

    public static SettingsChange Between(BalancerSettings previous, BalancerSettings next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);

        var settings = BalancerSettingChanges.None;
        void Compare<T>(T before, T after, BalancerSettingChanges flag)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after))
                settings |= flag;
        }

        Compare(previous.Strategy, next.Strategy, BalancerSettingChanges.Strategy);
        Compare(previous.CheckInterval, next.CheckInterval, BalancerSettingChanges.CheckInterval);
        Compare(previous.ConnectTimeout, next.ConnectTimeout, BalancerSettingChanges.ConnectTimeout);
        Compare(previous.HedgeDelay, next.HedgeDelay, BalancerSettingChanges.HedgeDelay);
        Compare(previous.ProbeInterval, next.ProbeInterval, BalancerSettingChanges.ProbeInterval);
        Compare(previous.ProbeQuery, next.ProbeQuery, BalancerSettingChanges.ProbeQuery);
        Compare(previous.ProbeTimeout, next.ProbeTimeout, BalancerSettingChanges.ProbeTimeout);
        Compare(previous.MaxHedgedAttempts, next.MaxHedgedAttempts, BalancerSettingChanges.MaxHedgedAttempts);
        Compare(previous.SlowStartWindow, next.SlowStartWindow, BalancerSettingChanges.SlowStartWindow);
        Compare(previous.ShutdownSessionsOnMarkDown, next.ShutdownSessionsOnMarkDown, BalancerSettingChanges.ShutdownSessionsOnMarkDown);
        Compare(previous.RedactedConnectionString, next.RedactedConnectionString, BalancerSettingChanges.SharedConnectionString);

        var peers = new List<PeerSettingsChange>();
        foreach (var now in next.Peers)
        {
            var old = Find(previous.Peers, now.Name);
            var changes = old is null ? PeerChanges.Added : ComparePeer(old, now);
            if (changes != PeerChanges.None)
                peers.Add(new PeerSettingsChange(now.Name, changes, old, now));
        }

        foreach (var old in previous.Peers)
        {
            if (Find(next.Peers, old.Name) is null)
                peers.Add(new PeerSettingsChange(old.Name, PeerChanges.Removed, old, null));
        }

        return new SettingsChange(previous, next, settings, peers);
    }

    public bool Has(BalancerSettingChanges change) => (Settings & change) != 0;

    /// <summary>For logs: every change with old and new values, "nothing changed" when empty; never a secret.</summary>
    public string Describe()
    {
        if (IsEmpty)
            return "nothing changed";

        var parts = new List<string>();
        void Part<T>(BalancerSettingChanges flag, string name, T before, T after, Func<T, string> format)
        {
            if (Has(flag))
                parts.Add($"{name} {format(before)} -> {format(after)}");
        }

        var (p, n) = (Previous, Next);
        Part(BalancerSettingChanges.Strategy, "Strategy", p.Strategy, n.Strategy, s => s.ToString());
        Part(BalancerSettingChanges.CheckInterval, "CheckInterval", p.CheckInterval, n.CheckInterval, Seconds);
        Part(BalancerSettingChanges.ConnectTimeout, "ConnectTimeout", p.ConnectTimeout, n.ConnectTimeout, Seconds);
        Part(BalancerSettingChanges.HedgeDelay, "HedgeDelay", p.HedgeDelay, n.HedgeDelay, Seconds);
        Part(BalancerSettingChanges.ProbeInterval, "ProbeInterval", p.ProbeInterval, n.ProbeInterval, Seconds);
        Part(BalancerSettingChanges.ProbeQuery, "ProbeQuery", p.ProbeQuery, n.ProbeQuery, q => "'" + q + "'");
        Part(BalancerSettingChanges.ProbeTimeout, "ProbeTimeout", p.ProbeTimeout, n.ProbeTimeout, Seconds);
        Part(BalancerSettingChanges.MaxHedgedAttempts, "MaxHedgedAttempts", p.MaxHedgedAttempts, n.MaxHedgedAttempts, c => c.ToString(CultureInfo.InvariantCulture));
        Part(BalancerSettingChanges.SlowStartWindow, "SlowStartWindow", p.SlowStartWindow, n.SlowStartWindow, Seconds);
        Part(BalancerSettingChanges.ShutdownSessionsOnMarkDown, "ShutdownSessionsOnMarkDown", p.ShutdownSessionsOnMarkDown, n.ShutdownSessionsOnMarkDown, b => b ? "true" : "false");
        if (Has(BalancerSettingChanges.SharedConnectionString))
            parts.Add("shared connection string changed");
        parts.AddRange(Peers.Select(peer => peer.Describe()));
        return string.Join("; ", parts);
    }

    internal static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s";

    private static PeerSettings? Find(IReadOnlyList<PeerSettings> peers, string name)
    {
        foreach (var peer in peers)
        {
            if (string.Equals(peer.Name, name, StringComparison.Ordinal))
                return peer;
        }

        return null;
    }

    private static PeerChanges ComparePeer(PeerSettings old, PeerSettings now)
    {
        var changes = PeerChanges.None;
        if (!string.Equals(old.ConnectionString, now.ConnectionString, StringComparison.Ordinal))
        {
            changes |= PeerChanges.ConnectionString;
            if (!string.Equals(old.Endpoint, now.Endpoint, StringComparison.Ordinal))
                changes |= PeerChanges.Endpoint;
        }

        if (old.Weight != now.Weight)
            changes |= PeerChanges.Weight;
        if (!old.Enabled && now.Enabled)
            changes |= PeerChanges.Enabled;
        if (old.Enabled && !now.Enabled)
            changes |= PeerChanges.Disabled;
        if (old.ConnectTimeout != now.ConnectTimeout)
            changes |= PeerChanges.ConnectTimeout;
        return changes;
    }
}
