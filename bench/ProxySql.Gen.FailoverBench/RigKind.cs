namespace ProxySql.FailoverBench;

/// <summary>What stands behind the three peers.</summary>
internal enum RigKind
{
    /// <summary>Three fault relays straight in front of one MariaDB (no ProxySQL).</summary>
    Relay,

    /// <summary>Three real ProxySQL 2.7.2 nodes in front of one MariaDB, each behind a relay (for the multi-host form, the byte counts and the blackhole).</summary>
    ProxySql,
}
