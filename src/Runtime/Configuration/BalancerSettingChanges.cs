namespace ProxySql.Configuration;

/// <summary>Which balancer-wide settings differ between two <see cref="BalancerSettings"/>.</summary>
[Flags]
internal enum BalancerSettingChanges
{
    None = 0,
    Strategy = 1 << 0,
    CheckInterval = 1 << 1,
    ConnectTimeout = 1 << 2,
    HedgeDelay = 1 << 3,
    ProbeInterval = 1 << 4,
    ProbeQuery = 1 << 5,
    ProbeTimeout = 1 << 6,
    MaxHedgedAttempts = 1 << 7,
    SlowStartWindow = 1 << 8,
    ShutdownSessionsOnMarkDown = 1 << 9,

    /// <summary>The shared connection string without secrets; a password-only change shows in the peers' connection strings.</summary>
    SharedConnectionString = 1 << 10,
}
