using System.ComponentModel;
using ProxySql.Core;

namespace ProxySql;

/// <summary>
/// What a generated <see cref="ProxySqlDatabases"/> class is constructed from: the bound configuration and the
/// running balancer. Made by <c>ProxySqlDatabases.CreateContext</c>; opaque to user code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProxySqlDatabasesContext
{
    internal ProxySqlDatabasesContext(Balancer balancer) => Balancer = balancer;

    internal Balancer Balancer { get; }
}
