namespace ProxySql.ProxySqlTests;

/// <summary>What stands for the ProxySQL nodes in a scenario.</summary>
public enum RigKind
{
    /// <summary>Real proxysql 2.7 nodes (<c>ProxySqlNode</c>) in front of MariaDB.</summary>
    ProxySql,

    /// <summary>The fault relay (<c>FaultRelay</c>) in front of MariaDB: the stand-in the other suites use.</summary>
    Relay,
}
