using ProxySql;

namespace Fleet;

[ProxySqlDatabases("Databases:Fleet")]
internal sealed partial class FleetDatabases
{
    public partial ProxySqlPeer Node01 { get; }

    public partial ProxySqlPeer Node02 { get; }

    public partial ProxySqlPeer Node03 { get; }

    public partial ProxySqlPeer Node04 { get; }

    public partial ProxySqlPeer Node05 { get; }

    public partial ProxySqlPeer Node06 { get; }

    public partial ProxySqlPeer Node07 { get; }

    public partial ProxySqlPeer Node08 { get; }

    public partial ProxySqlPeer Node09 { get; }

    public partial ProxySqlPeer Node10 { get; }

    public partial ProxySqlPeer Node11 { get; }

    public partial ProxySqlPeer Node12 { get; }

    public partial ProxySqlPeer Node13 { get; }

    public partial ProxySqlPeer Node14 { get; }

    public partial ProxySqlPeer Node15 { get; }

    public partial ProxySqlPeer Node16 { get; }
}
