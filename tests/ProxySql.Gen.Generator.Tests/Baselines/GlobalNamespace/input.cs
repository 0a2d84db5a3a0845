using ProxySql;

[ProxySqlDatabases("ProxySql", Strategy = ProxySqlStrategy.RoundRobin)]
partial class AppDatabases
{
    public partial ProxySqlPeer Edge1 { get; }

    public partial ProxySqlPeer? Edge2 { get; }
}
