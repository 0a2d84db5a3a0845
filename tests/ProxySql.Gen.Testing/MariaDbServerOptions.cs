namespace ProxySql.Testing;

/// <summary>
/// Options for a <see cref="MariaDbServer"/>. The defaults suit tests: Debian's binaries, a small
/// buffer pool, a fast start.
/// </summary>
public sealed record MariaDbServerOptions
{
    /// <summary>Path of the server binary. Default: <c>/usr/sbin/mariadbd</c>.</summary>
    public string MariadbdPath { get; init; } = "/usr/sbin/mariadbd";

    /// <summary>Path of the datadir initialiser. Default: <c>/usr/bin/mariadb-install-db</c>.</summary>
    public string InstallDbPath { get; init; } = "/usr/bin/mariadb-install-db";

    /// <summary>
    /// The server's <c>max_connections</c>, or <see langword="null"/> for the server default (151).
    /// A small value lets a test provoke error 1040 (too many connections). mariadbd accepts no value
    /// below 10 (<see cref="MariaDbServer.MinimumMaxConnections"/>): a smaller one is rejected at start.
    /// </summary>
    public int? MaxConnections { get; init; }

    /// <summary>
    /// How long a start may take before it fails with the server's error log. Default: 120 s. A start takes about a
    /// second on an idle machine, but once took over 30 s on a 2-core CI machine running every suite at once; a server
    /// that hangs only costs this wait when the test fails anyway.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Password of the <c>app</c> user.</summary>
    public string AppPassword { get; init; } = "app-secret-1";
}
