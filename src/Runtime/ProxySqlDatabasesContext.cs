using System.ComponentModel;

namespace ProxySql;

/// <summary>
/// What a generated <see cref="ProxySqlDatabases"/> class is constructed from: the bound configuration and the
/// running balancer. Made by <see cref="ProxySqlDatabases.CreateContext"/>; opaque to user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProxySqlDatabasesContext
{
    internal ProxySqlDatabasesContext(Balancer balancer) => Balancer = balancer;

    internal Balancer Balancer { get; }
}
