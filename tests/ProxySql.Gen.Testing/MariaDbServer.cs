using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using MySqlConnector;

namespace ProxySql.Testing;

/// <summary>
/// A real <c>mariadbd</c> on 127.0.0.1, on a port it picks, with its own datadir, tmpdir and socket
/// under a temp folder. It has a database <c>app</c> and a user <c>app</c> with a password.
/// </summary>
/// <remarks>
/// Disposing kills the process by its PID and deletes its files; so does the exit of the test
/// process, and folders left by a test process that was killed are swept by the next one.
/// </remarks>
public sealed class MariaDbServer : IAsyncDisposable
{
    /// <summary>Name of the database created for tests.</summary>
    public const string AppDatabase = "app";

    /// <summary>Name of the user created for tests.</summary>
    public const string AppUser = "app";

    internal const string PidFileName = "mariadbd.pid";

    /// <summary>The smallest max_connections that mariadbd accepts; it silently raises smaller values.</summary>
    public const int MinimumMaxConnections = 10;

    private const int BindAttempts = 3;
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly MariaDbServerOptions options;
    private readonly string dataDirectory;
    private readonly string tmpDirectory;
    private readonly string errorLogPath;
    private readonly ScratchProcess process;

    private MariaDbServer(MariaDbServerOptions options, string directory, int port)
    {
        this.options = options;
        process = new ScratchProcess(directory, PidFileName);
        dataDirectory = Path.Combine(directory, "data");
        tmpDirectory = Path.Combine(directory, "tmp");
        errorLogPath = Path.Combine(directory, "error.log");
        SocketPath = Path.Combine(directory, "mariadbd.sock");
        Port = port;
    }

    /// <summary>Options that the server writes to disk with, shared by install and start so they agree.</summary>
    internal static IReadOnlyList<string> StorageArguments { get; } =
    [
        "--innodb-buffer-pool-size=16M",
        "--innodb-log-file-size=4M",
        "--innodb-data-file-path=ibdata1:4M:autoextend",
        "--innodb-autoextend-increment=1",
        "--innodb-doublewrite=0",

        // test data need to survive a killed process, not a power cut: no fsync at all
        "--innodb-flush-method=nosync",
        "--innodb-flush-log-at-trx-commit=2",
        "--skip-log-bin",
        "--performance-schema=OFF",
    ];

    internal static bool RunningAsRoot { get; } = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    /// <summary>The TCP port on 127.0.0.1. It stays the same across <see cref="StopAsync"/> / <see cref="StartAsync(CancellationToken)"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The TCP endpoint of the server (127.0.0.1 and <see cref="Port"/>).</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The PID of the running <c>mariadbd</c>, or 0 while it is stopped.</summary>
    public int Pid => process.Pid;

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => Pid != 0;

    /// <summary>The folder holding the datadir, tmpdir, socket and error log.</summary>
    public string Directory => process.Directory;

    /// <summary>The unix socket of the server.</summary>
    public string SocketPath { get; }

    /// <summary>Password of the <c>app</c> user.</summary>
    public string AppPassword => options.AppPassword;

    /// <summary>
    /// Connection string for user <c>app</c> on database <c>app</c> over TCP (127.0.0.1), with default pooling.
    /// </summary>
    public string ConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Port,
        UserID = AppUser,
        Password = options.AppPassword,
        Database = AppDatabase,
    }.ConnectionString;

    /// <summary>Connection string for <c>root</c> (no password) over the unix socket, without pooling.</summary>
    public string RootConnectionString => new MySqlConnectionStringBuilder
    {
        Server = SocketPath,
        ConnectionProtocol = MySqlConnectionProtocol.UnixSocket,
        UserID = "root",
        Pooling = false,
    }.ConnectionString;

    internal bool IsShared { get; set; }

    /// <summary>
    /// Starts a new server with a fresh datadir and waits until it answers queries.
    /// </summary>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start; the half-started server is removed.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="MariaDbStartException">The binaries are missing or the server did not become ready.</exception>
    public static async Task<MariaDbServer> StartAsync(MariaDbServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MariaDbServerOptions();
        if (options.MaxConnections is int maxConnections)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, MinimumMaxConnections, "options.MaxConnections");
        }

        RequireBinary(options.MariadbdPath);
        RequireBinary(options.InstallDbPath);

        string directory = ScratchSpace.NewInstanceDirectory("db-");
        var server = new MariaDbServer(options, directory, LoopbackPort.FindFree());
        try
        {
            await MariaDbTemplate.CopyToAsync(options, server.dataDirectory, cancellationToken).ConfigureAwait(false);
            System.IO.Directory.CreateDirectory(server.tmpDirectory);
            await server.StartFirstTimeAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts the server again on the same datadir and port after <see cref="StopAsync"/> or <see cref="KillAsync"/>,
    /// and waits until it answers queries.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the server is ready.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        process.ChangeAsync(
            () => IsRunning
                ? throw new InvalidOperationException($"mariadbd on port {Port} is already running (pid {Pid}).")
                : LaunchAndWaitAsync(cancellationToken),
            cancellationToken);

    /// <summary>
    /// Shuts the server down cleanly (<c>SHUTDOWN</c>, then a kill if it does not exit in time). Open
    /// client connections are ended by the server. The datadir is kept for <see cref="StartAsync(CancellationToken)"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for a clean exit.</param>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfShared(nameof(StopAsync));
        return process.StopAsync(
            async (_, deadline) =>
            {
                try
                {
                    await ExecuteRootAsync("SHUTDOWN", deadline).ConfigureAwait(false);
                }
                catch (MySqlException)
                {
                    // the server may drop the connection while it shuts down; the exit wait decides
                }
            },
            StopTimeout,
            cancellationToken);
    }

    /// <summary>
    /// Kills the server process (SIGKILL), as a crash would. The datadir is kept; a later
    /// <see cref="StartAsync(CancellationToken)"/> runs crash recovery.
    /// </summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task KillAsync()
    {
        ThrowIfShared(nameof(KillAsync));
        return process.KillAsync();
    }

    /// <summary>Runs one or more SQL statements as <c>root</c>.</summary>
    /// <param name="sql">The statements.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The number of rows affected.</returns>
    public async Task<int> ExecuteRootAsync(string sql, CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(RootConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new MySqlCommand(sql, connection);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a query as <c>root</c> and returns the first column of the first row.</summary>
    /// <param name="sql">The query.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The value, or <see langword="null"/> when there is no row.</returns>
    public async Task<object?> ScalarRootAsync(string sql, CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(RootConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new MySqlCommand(sql, connection);
            object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    /// <summary>The last part of the server's error log, for failure messages.</summary>
    /// <returns>Up to the last 8000 characters of the log.</returns>
    public string ReadErrorLog()
    {
        const int Tail = 8_000;
        try
        {
            using var stream = new FileStream(errorLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string text = reader.ReadToEnd();
            return text.Length > Tail ? text[^Tail..] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no error log at {errorLogPath}: {e.Message})";
        }
    }

    /// <summary>Kills the process by its PID and deletes the datadir and every file of this server.</summary>
    /// <returns>A task that completes when the process is gone and the files are deleted.</returns>
    public ValueTask DisposeAsync() =>
        IsShared
            ? ValueTask.CompletedTask // owned by the test process; removed at its exit
            : process.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() => $"mariadbd 127.0.0.1:{Port} (pid {Pid}, {Directory})";

    private static void RequireBinary(string path)
    {
        if (!File.Exists(path))
        {
            throw new MariaDbStartException(
                $"MariaDB is not installed: '{path}' does not exist. Install it with `apt-get install -y mariadb-server` " +
                "(Debian/Ubuntu; ./test.sh does this), then run the tests again. The system service need not run: tests start their own servers.");
        }
    }

    private async Task StartFirstTimeAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchAndWaitAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (MariaDbStartException) when (attempt < BindAttempts && ReadErrorLog().Contains("Address already in use", StringComparison.Ordinal))
            {
                // another process took the port between the check and the bind: pick another one
                Port = LoopbackPort.FindFree();
                File.Delete(errorLogPath);
            }
        }

        string password = options.AppPassword.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        await ExecuteRootAsync(
            $"""
            CREATE DATABASE IF NOT EXISTS `{AppDatabase}`;
            CREATE USER IF NOT EXISTS '{AppUser}'@'%' IDENTIFIED BY '{password}';
            CREATE USER IF NOT EXISTS '{AppUser}'@'127.0.0.1' IDENTIFIED BY '{password}';
            GRANT ALL PRIVILEGES ON `{AppDatabase}`.* TO '{AppUser}'@'%';
            GRANT ALL PRIVILEGES ON `{AppDatabase}`.* TO '{AppUser}'@'127.0.0.1';
            """,
            cancellationToken).ConfigureAwait(false);
    }

    // everything goes to --log-error: the pipes are only drained
    private Task LaunchAndWaitAsync(CancellationToken cancellationToken) =>
        process.LaunchAsync(options.MariadbdPath, BuildArguments(), static _ => { }, WaitUntilReadyAsync, cancellationToken);

    private List<string> BuildArguments()
    {
        var arguments = new List<string> { "--no-defaults" }; // must be first
        if (RunningAsRoot)
        {
            arguments.Add("--user=root");
        }

        arguments.Add("--datadir=" + dataDirectory);
        arguments.Add("--tmpdir=" + tmpDirectory);
        arguments.Add("--socket=" + SocketPath);
        arguments.Add("--pid-file=" + Path.Combine(Directory, PidFileName));
        arguments.Add("--log-error=" + errorLogPath);
        arguments.Add("--port=" + Port.ToString(CultureInfo.InvariantCulture));
        arguments.Add("--bind-address=127.0.0.1");
        arguments.Add("--skip-networking=0");
        arguments.Add("--skip-name-resolve");
        arguments.Add("--skip-ssl");
        arguments.Add("--loose-feedback=OFF");
        arguments.AddRange(StorageArguments);
        if (options.MaxConnections is int maxConnections)
        {
            arguments.Add("--max-connections=" + maxConnections.ToString(CultureInfo.InvariantCulture));
        }

        return arguments;
    }

    private async Task WaitUntilReadyAsync(Process started, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.StartTimeout);
        var launchedAt = DateTime.Now; // local time, as in the error log's timestamps
        Exception? lastError = null;
        try
        {
            while (true)
            {
                if (started.HasExited)
                {
                    throw new MariaDbStartException(
                        $"mariadbd exited with code {started.ExitCode} during start on port {Port}. Error log {errorLogPath}:\n{ReadErrorLog()}");
                }

                try
                {
                    if (await ScratchProcess.AcceptsTcpAsync(EndPoint, deadline.Token).ConfigureAwait(false))
                    {
                        await ScalarRootAsync("SELECT 1", deadline.Token).ConfigureAwait(false);
                        return;
                    }
                }
                catch (MySqlException e)
                {
                    lastError = e;
                }

                await Task.Delay(ReadinessPoll, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MariaDbStartException(
                $"mariadbd on port {Port}, launched at {launchedAt:HH:mm:ss.fff}, was not ready within {options.StartTimeout.TotalSeconds:0.#} s " +
                $"(last error: {lastError?.Message ?? "TCP connect refused"}). Error log {errorLogPath}:\n{ReadErrorLog()}",
                lastError ?? new TimeoutException());
        }
    }

    private void ThrowIfShared(string operation)
    {
        if (IsShared)
        {
            throw new InvalidOperationException(
                $"{operation} is not allowed on the shared server from SharedMariaDb: start your own MariaDbServer to stop, kill or restart one.");
        }
    }
}
