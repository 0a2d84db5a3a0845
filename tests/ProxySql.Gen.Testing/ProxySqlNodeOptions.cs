namespace ProxySql.Testing;

/// <summary>
/// Options for a <see cref="ProxySqlNode"/>. The defaults follow the measured facts in
/// <c>../shared/proxysql/README.md</c>: no TLS on the client leg, the monitor off, one worker thread.
/// </summary>
public sealed record ProxySqlNodeOptions
{
    /// <summary>Path of the <c>proxysql</c> binary, or <see langword="null"/> for <see cref="ProxySqlBinary.Resolve"/>.</summary>
    public string? BinaryPath { get; init; }

    /// <summary>
    /// <c>mysql-have_ssl</c>. Default <see langword="false"/>: ProxySQL 2.6+ defaults to true, and MySqlConnector
    /// would then negotiate TLS. When true, <see cref="ProxySqlNode.ConnectionString"/> asks for <c>SslMode=Required</c>.
    /// </summary>
    public bool HaveSsl { get; init; }

    /// <summary><c>mysql-monitor_enabled</c>; when on, the monitor logs in to the backends as the app user. Default off.</summary>
    public bool MonitorEnabled { get; init; }

    /// <summary><c>mysql-max_connections</c>: client sessions the node accepts before it answers 1040. Default 2048.</summary>
    public int MaxConnections { get; init; } = 2048;

    /// <summary><c>mysql-connect_timeout_server_max</c>: how long a statement waits for a backend before error 9001. Default 10 s (ProxySQL's own).</summary>
    public TimeSpan ConnectTimeoutServerMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>mysql-threads</c>. Default 1: tests share two cores.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// How long a start may take before it fails with the node's output. Default 120 s: generous for a starved CI machine
    /// (see <see cref="MariaDbServerOptions.StartTimeout"/>); a node that hangs only costs this wait when the test fails anyway.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Further <c>mysql_variables</c> for the config file, by name without the <c>mysql-</c> prefix.</summary>
    public IReadOnlyDictionary<string, string> MysqlVariables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
