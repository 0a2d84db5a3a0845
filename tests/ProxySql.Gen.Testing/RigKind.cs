namespace ProxySql.Testing;

/// <summary>What stands for the ProxySQL nodes in a scenario.</summary>
public enum RigKind
{
    /// <summary>Real proxysql 2.7 nodes (<see cref="ProxySqlNode"/>) in front of MariaDB.</summary>
    ProxySql,

    /// <summary>The fault relay (<see cref="FaultRelay"/>) in front of MariaDB: the stand-in most suites use.</summary>
    Relay,
}
