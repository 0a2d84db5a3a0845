using ProxySql;

namespace Shop.Data;

[ProxySqlDatabases("ProxySql", CheckInterval = "00:00:30")]
public partial class AppDatabases
{
    public partial ProxySqlPeer Edge1 { get; }

    public partial ProxySqlPeer Edge2 { get; }

    [Peer("proxysql-c")]
    public partial ProxySqlPeer Edge3 { get; }
}
