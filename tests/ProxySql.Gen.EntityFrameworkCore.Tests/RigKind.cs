namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>What stands for the ProxySQL nodes in an EF Core fault scenario.</summary>
internal enum RigKind
{
    /// <summary>Real proxysql 2.7 nodes (<c>ProxySqlNode</c>) in front of MariaDB.</summary>
    ProxySql,

    /// <summary>The fault relay (<c>FaultRelay</c>) in front of MariaDB.</summary>
    Relay,
}
