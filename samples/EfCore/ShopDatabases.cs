namespace ProxySql.Samples.EfCore;

/// <summary>The three ProxySQL nodes; the generator implements the peers and <c>Create</c>, and checks appsettings.json.</summary>
[ProxySqlDatabases("ProxySql")]
public sealed partial class ShopDatabases
{
    /// <summary>The first node.</summary>
    public partial ProxySqlPeer Edge1 { get; }

    /// <summary>The second node.</summary>
    public partial ProxySqlPeer Edge2 { get; }

    /// <summary>The third node.</summary>
    public partial ProxySqlPeer Edge3 { get; }
}
