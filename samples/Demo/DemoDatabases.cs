namespace ProxySql.Demo;

/// <summary>
/// The three ProxySQL nodes the demo balances over, declared the way an application declares its own: the
/// source generator implements the peers and a reflection-free <c>Create</c>, and checks
/// <c>appsettings.json</c> against this class at compile time.
/// </summary>
[ProxySqlDatabases("ProxySql")]
public sealed partial class DemoDatabases
{
    /// <summary>The first node (configuration key <c>Edge1</c>).</summary>
    public partial ProxySqlPeer Edge1 { get; }

    /// <summary>The second node (configuration key <c>Edge2</c>).</summary>
    public partial ProxySqlPeer Edge2 { get; }

    /// <summary>The third node, under an explicit configuration key.</summary>
    [Peer("proxysql-c")]
    public partial ProxySqlPeer Edge3 { get; }
}
