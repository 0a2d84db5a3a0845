using ProxySql;

namespace Shop.Data;

[ProxySqlDatabases("ProxySql")]
public partial class AppDatabases
{
    public partial ProxySqlPeer Edge1 { get; }

    public partial ProxySqlPeer Edge2 { get; }
}
