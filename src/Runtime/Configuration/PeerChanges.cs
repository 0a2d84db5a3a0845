namespace ProxySql.Configuration;

/// <summary>How one peer's settings differ between two <see cref="BalancerSettings"/>.</summary>
[Flags]
internal enum PeerChanges
{
    None = 0,

    /// <summary>Only in the new settings.</summary>
    Added = 1 << 0,

    /// <summary>Only in the old settings.</summary>
    Removed = 1 << 1,

    /// <summary>Its pool's connection string (anything in it, the password included): the old pool must be retired.</summary>
    ConnectionString = 1 << 2,

    /// <summary>Its server or port; always with <see cref="ConnectionString"/>.</summary>
    Endpoint = 1 << 3,

    Weight = 1 << 4,

    /// <summary>Disabled before, enabled now.</summary>
    Enabled = 1 << 5,

    /// <summary>Enabled before, disabled now: it must drain.</summary>
    Disabled = 1 << 6,

    /// <summary>Its per-attempt timeout (<see cref="PeerSettings.ConnectTimeout"/>).</summary>
    ConnectTimeout = 1 << 7,
}
