using ProxySql;

namespace Shop.Data;

[ProxySqlDatabases(
    "ProxySql",
    CheckInterval = "00:00:10",
    ConnectTimeout = "1.5",
    HedgeDelay = "0.05",
    ProbeInterval = "00:00:00.2500000",
    Strategy = ProxySqlStrategy.Ordered,
    ProbeQuery = " DO 1; ",
    ProbeTimeout = "0.5",
    MaxHedgedAttempts = 2,
    SlowStartWindow = "0",
    ShutdownSessionsOnMarkDown = true)]
public partial class AppDatabases
{
    public partial ProxySqlPeer Primary { get; }

    public partial ProxySqlPeer Standby { get; }
}
