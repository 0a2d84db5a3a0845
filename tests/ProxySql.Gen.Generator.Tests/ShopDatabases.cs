namespace ProxySql.Generator.Tests;

/// <summary>A real databases class, generated at build time by the generator under test (it runs on this project).</summary>
[ProxySqlDatabases("Shop:ProxySql", CheckInterval = "00:00:05", Strategy = ProxySqlStrategy.RoundRobin)]
internal sealed partial class ShopDatabases
{
    public partial ProxySqlPeer Edge1 { get; }

    [Peer("proxysql-b", Weight = 2)]
    public partial ProxySqlPeer Edge2 { get; }
}
