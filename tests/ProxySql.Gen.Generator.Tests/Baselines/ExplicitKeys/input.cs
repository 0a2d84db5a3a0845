using ProxySql;

namespace Shop.Data;

[ProxySqlDatabases]
public partial class AppDatabases
{
    public partial ProxySqlPeer Edge1 { get; }

    [Peer(Weight = 3)]
    public partial ProxySqlPeer Edge2 { get; }

    [Peer("proxysql-c", Weight = 0)]
    internal partial ProxySqlPeer Standby { get; }

    [Peer("quote\"and\\slash")]
    private partial ProxySqlPeer Odd { get; }

    // Not a peer: a computed property of the user's own.
    public ProxySqlPeer Primary => Edge1;
}
