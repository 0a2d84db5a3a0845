using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace ProxySql.Testing;

/// <summary>
/// A real ProxySQL node (<c>proxysql -f --initial</c>) on 127.0.0.1, on an admin port and a MySQL port it picks,
/// with its own config file and datadir under the test process's scratch folder, in front of one or more
/// <see cref="MariaDbServer"/>s (hostgroup 0, the app user). Tests fault it through the verbs below, which use the
/// node's admin interface or its PID, exactly as an operator would.
/// </summary>
/// <remarks>
/// Disposing kills the process by its PID and deletes its files; so does the exit of the test process, and the
/// folders of a test process that was killed are swept (and their nodes killed) by the next one. The runtime changes
/// made through this fixture (variables, backend status, query delay) are written into the config file too, so
/// <see cref="RestartAsync"/> comes back with them: <c>--initial</c> makes ProxySQL read only the config file.
/// </remarks>
public sealed partial class ProxySqlNode : IAsyncDisposable
{
    /// <summary>Admin user; ProxySQL accepts it from 127.0.0.1 only.</summary>
    public const string AdminUser = "admin";

    /// <summary>Password of <see cref="AdminUser"/>.</summary>
    public const string AdminPassword = "admin";

    /// <summary>The version string the node announces to clients (the rig's MariaDB).</summary>
    public const string ServerVersion = "10.11.6-MariaDB";

    internal const string PidFileName = "proxysql-node.pid";

    private const int BindAttempts = 3;

    /// <summary>proxysql 2.7.2 was seen to segfault (exit 139) at start on a machine at load 80: a supervisor starts it again.</summary>
    private const int CrashedStartAttempts = 3;
    private const int LogLines = 400;
    private const int DelayRuleId = 1;
    private static readonly TimeSpan ReadinessPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly ProxySqlNodeOptions options;
    private readonly string binaryPath;
    private readonly string configPath;
    private readonly ScratchProcess process;
    private readonly ConcurrentQueue<string> log = new();
    private readonly Dictionary<string, string> variables = new(StringComparer.Ordinal);
    private bool backendsOnline = true;
    private int queryDelayMilliseconds;
    private bool startCrashed;

    private ProxySqlNode(ProxySqlNodeOptions options, string binaryPath, IReadOnlyList<MariaDbServer> backends, string directory)
    {
        this.options = options;
        this.binaryPath = binaryPath;
        Backends = backends;
        process = new ScratchProcess(directory, PidFileName);
        DataDirectory = Path.Combine(directory, "data");
        configPath = Path.Combine(directory, "node.cnf");
        PickPorts();
    }

    /// <summary>The MariaDB servers in hostgroup 0, in config order.</summary>
    public IReadOnlyList<MariaDbServer> Backends { get; }

    /// <summary>The MySQL (client) port on 127.0.0.1. It stays the same across kills and restarts.</summary>
    public int Port { get; private set; }

    /// <summary>The admin port on 127.0.0.1 (MySQL protocol, user <see cref="AdminUser"/>).</summary>
    public int AdminPort { get; private set; }

    /// <summary>The client endpoint (127.0.0.1 and <see cref="Port"/>).</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>The PID of the running <c>proxysql</c>, or 0 while it is killed.</summary>
    public int Pid => process.Pid;

    /// <summary>Whether the node's process is running.</summary>
    public bool IsRunning => Pid != 0;

    /// <summary>The folder holding the config file, the datadir and the pid file.</summary>
    public string Directory => process.Directory;

    /// <summary>The datadir (<c>-D</c>): ProxySQL's databases and, from the first start, its self-signed TLS files.</summary>
    public string DataDirectory { get; }

    /// <summary>The CA the node generated at its first start (for <c>SslMode=VerifyCA</c>).</summary>
    public string CaCertificatePath => Path.Combine(DataDirectory, "proxysql-ca.pem");

    /// <summary>Whether the client leg speaks TLS (<see cref="ProxySqlNodeOptions.HaveSsl"/>).</summary>
    public bool HaveSsl => options.HaveSsl;

    /// <summary>
    /// Connection string for user <c>app</c> on database <c>app</c> through this node, with default pooling;
    /// <c>SslMode=Required</c> when the node has TLS on, <c>None</c> otherwise.
    /// </summary>
    public string ConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Port,
        UserID = MariaDbServer.AppUser,
        Password = Backends[0].AppPassword,
        Database = MariaDbServer.AppDatabase,
        SslMode = options.HaveSsl ? MySqlSslMode.Required : MySqlSslMode.None,
    }.ConnectionString;

    /// <summary>Connection string for the admin interface, without pooling.</summary>
    public string AdminConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)AdminPort,
        UserID = AdminUser,
        Password = AdminPassword,
        Pooling = false,
        SslMode = MySqlSslMode.Preferred,
        ConnectionTimeout = 5,

        // PROXYSQL PAUSE takes 1-2 s; more under load on two cores
        DefaultCommandTimeout = 60,
    }.ConnectionString;

    /// <summary>Starts a node in front of one server and waits until its admin and MySQL ports answer.</summary>
    /// <param name="backend">The server in hostgroup 0.</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start; the half-started node is removed.</param>
    /// <returns>The running node.</returns>
    /// <exception cref="ProxySqlStartException">The binary is missing or the node did not become ready.</exception>
    public static Task<ProxySqlNode> StartAsync(MariaDbServer backend, ProxySqlNodeOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync([backend], options, cancellationToken);

    /// <summary>Starts a node in front of <paramref name="backends"/> and waits until its admin and MySQL ports answer.</summary>
    /// <param name="backends">The servers in hostgroup 0 (at least one; they share the app password).</param>
    /// <param name="options">Options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start; the half-started node is removed.</param>
    /// <returns>The running node.</returns>
    /// <exception cref="ProxySqlStartException">The binary is missing or the node did not become ready.</exception>
    public static async Task<ProxySqlNode> StartAsync(IReadOnlyList<MariaDbServer> backends, ProxySqlNodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backends);
        if (backends.Count == 0)
        {
            throw new ArgumentException("A ProxySQL node needs at least one backend server.", nameof(backends));
        }

        options ??= new ProxySqlNodeOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConnections, 1, "options.MaxConnections");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, "options.Threads");
        string binary = ProxySqlBinary.Require(options.BinaryPath);

        var node = new ProxySqlNode(options, binary, [.. backends], ScratchSpace.NewInstanceDirectory("proxysql-"));
        try
        {
            System.IO.Directory.CreateDirectory(node.DataDirectory);
            await node.StartFirstTimeAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the node again (after <see cref="KillAsync"/>) on the same ports, config and datadir.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when both ports answer.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        process.ChangeAsync(
            () => IsRunning ? throw new InvalidOperationException($"{this} is already running.") : LaunchRetryingCrashesAsync(cancellationToken),
            cancellationToken);

    /// <summary>Kills the node if it runs (SIGKILL), then starts it on the same ports, config and datadir.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when both ports answer again.</returns>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        process.ChangeAsync(
            () =>
            {
                process.KillAndForget();
                return LaunchRetryingCrashesAsync(cancellationToken);
            },
            cancellationToken);

    /// <summary>
    /// Stops the node cleanly (SIGTERM), as a service stop would: ProxySQL closes its sessions and exits within a second.
    /// It is killed when it has not exited within 10 s. <see cref="StartAsync(CancellationToken)"/> starts it again.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait; the node is then killed.</param>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        process.StopAsync(
            static async (running, deadline) =>
            {
                // .NET signals only SIGKILL; kill(1) sends the polite one
                using Process? term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", running.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false });
                if (term is not null)
                {
                    await term.WaitForExitAsync(deadline).ConfigureAwait(false);
                }
            },
            StopTimeout,
            cancellationToken);

    /// <summary>Kills the node (SIGKILL), as a crash would: the kernel closes every client socket.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task KillAsync() => process.KillAsync();

    /// <summary>
    /// <c>PROXYSQL PAUSE</c>: returns when the node has stopped accepting (1–2 s); open sessions keep working.
    /// </summary>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the listener is closed.</returns>
    public Task PauseAsync(CancellationToken cancellationToken = default) => AdminExecuteAsync("PROXYSQL PAUSE", cancellationToken);

    /// <summary><c>PROXYSQL RESUME</c>: the node accepts new sessions again.</summary>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the node has resumed.</returns>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => AdminExecuteAsync("PROXYSQL RESUME", cancellationToken);

    /// <summary>
    /// Sets every backend <c>ONLINE</c> or <c>OFFLINE_HARD</c> and loads the servers to runtime. Offline, the node still
    /// accepts and pings, but every statement fails with 9001 after <c>mysql-connect_timeout_server_max</c>.
    /// </summary>
    /// <param name="online">Whether the backends are to serve.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>A task that completes when the runtime has the new status.</returns>
    public async Task SetBackendsOnlineAsync(bool online, CancellationToken cancellationToken = default)
    {
        await AdminExecuteAsync(
            cancellationToken,
            $"UPDATE mysql_servers SET status = '{(online ? "ONLINE" : "OFFLINE_HARD")}' WHERE hostgroup_id = 0",
            "LOAD MYSQL SERVERS TO RUNTIME").ConfigureAwait(false);
        backendsOnline = online;
        WriteConfig();
    }

    /// <summary>Sets a global variable and loads its module to runtime (<c>LOAD MYSQL|ADMIN VARIABLES TO RUNTIME</c>).</summary>
    /// <param name="name">The full name as in <c>global_variables</c>, e.g. <c>mysql-max_connections</c>.</param>
    /// <param name="value">The new value.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>A task that completes when the runtime has the value.</returns>
    /// <exception cref="ArgumentException">The name is not of the form <c>mysql-x</c> or <c>admin-x</c>, or the node has no such variable.</exception>
    public async Task SetVariableAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Match match = VariableName().Match(name);
        if (!match.Success)
        {
            throw new ArgumentException($"'{name}' is not a ProxySQL variable name: use the global_variables form, e.g. mysql-max_connections.", nameof(name));
        }

        object? known = await AdminScalarAsync($"SELECT COUNT(*) FROM global_variables WHERE variable_name = '{name}'", cancellationToken).ConfigureAwait(false);
        if (Convert.ToInt64(known, CultureInfo.InvariantCulture) != 1)
        {
            throw new ArgumentException($"{this} has no variable '{name}' (global_variables).", nameof(name));
        }

        string module = match.Groups["module"].Value.ToUpperInvariant();
        await AdminExecuteAsync(
            cancellationToken,
            $"UPDATE global_variables SET variable_value = '{value.Replace("'", "''", StringComparison.Ordinal)}' WHERE variable_name = '{name}'",
            $"LOAD {module} VARIABLES TO RUNTIME").ConfigureAwait(false);
        variables[name] = value;
        WriteConfig();
    }

    /// <summary>
    /// Makes the node slow but correct: a query rule that delays every statement by <paramref name="delay"/>
    /// (<c>mysql_query_rules.delay</c>); <see cref="TimeSpan.Zero"/> removes it.
    /// </summary>
    /// <param name="delay">The delay per statement, whole milliseconds.</param>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <returns>A task that completes when the runtime has the rule.</returns>
    public async Task SetQueryDelayAsync(TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        int milliseconds = checked((int)delay.TotalMilliseconds);
        string change = milliseconds == 0
            ? $"DELETE FROM mysql_query_rules WHERE rule_id = {DelayRuleId}"
            : $"REPLACE INTO mysql_query_rules (rule_id, active, match_digest, delay, apply) VALUES ({DelayRuleId}, 1, '.', {milliseconds}, 0)";
        await AdminExecuteAsync(cancellationToken, change, "LOAD MYSQL QUERY RULES TO RUNTIME").ConfigureAwait(false);
        queryDelayMilliseconds = milliseconds;
        WriteConfig();
    }

    /// <summary><c>Client_Connections_connected</c> from <c>stats_mysql_global</c>: the client sessions open on the node (the drain signal).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The number of client sessions.</returns>
    public async Task<long> ClientConnectionsAsync(CancellationToken cancellationToken = default) =>
        long.Parse(await StatusAsync("Client_Connections_connected", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    /// <summary><c>Client_Connections_created</c>: client sessions accepted since start (e.g. TLS handshakes when TLS is on).</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The number of sessions accepted.</returns>
    public async Task<long> ClientConnectionsCreatedAsync(CancellationToken cancellationToken = default) =>
        long.Parse(await StatusAsync("Client_Connections_created", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

    /// <summary><c>mysql_listener_paused</c> from <c>stats_mysql_global</c>.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Whether the listener is paused.</returns>
    public async Task<bool> IsListenerPausedAsync(CancellationToken cancellationToken = default) =>
        string.Equals(await StatusAsync("mysql_listener_paused", cancellationToken).ConfigureAwait(false), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>One value of <c>stats_mysql_global</c>.</summary>
    /// <param name="variableName">The <c>Variable_Name</c>, e.g. <c>Client_Connections_connected</c>.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The value as text.</returns>
    /// <exception cref="InvalidOperationException">The node reports no such value.</exception>
    public async Task<string> StatusAsync(string variableName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variableName);
        if (!StatusName().IsMatch(variableName))
        {
            throw new ArgumentException($"'{variableName}' is not a stats_mysql_global name.", nameof(variableName));
        }

        object? value = await AdminScalarAsync($"SELECT Variable_Value FROM stats_mysql_global WHERE Variable_Name = '{variableName}'", cancellationToken).ConfigureAwait(false);
        return value as string ?? throw new InvalidOperationException($"{this} reports no '{variableName}' in stats_mysql_global.");
    }

    /// <summary>Runs one statement on the admin interface.</summary>
    /// <param name="sql">One statement of ProxySQL admin SQL: the admin runs only the first of several sent together.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the node has answered.</returns>
    public Task AdminExecuteAsync(string sql, CancellationToken cancellationToken = default) => AdminExecuteAsync(cancellationToken, sql);

    /// <summary>Runs statements one by one, in order, on one admin session.</summary>
    /// <param name="cancellationToken">Cancels the commands.</param>
    /// <param name="statements">One statement each.</param>
    /// <returns>A task that completes when the node has answered the last one.</returns>
    public async Task AdminExecuteAsync(CancellationToken cancellationToken, params string[] statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var connection = new MySqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            foreach (string sql in statements)
            {
                using var command = new MySqlCommand(sql, connection);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs a query on the admin interface and returns the first column of the first row.</summary>
    /// <param name="sql">The query.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The value, or <see langword="null"/> when there is no row.</returns>
    public async Task<object?> AdminScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new MySqlCommand(sql, connection);
            object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is DBNull ? null : value;
        }
    }

    /// <summary>The last lines the node printed (it logs to its standard output in the foreground), for failure messages.</summary>
    /// <returns>Up to the last 400 lines.</returns>
    public string ReadLog() => string.Join('\n', log);

    /// <summary>Kills the process by its PID and deletes the config, the datadir and every file of this node.</summary>
    /// <returns>A task that completes when the process is gone and the files are deleted.</returns>
    public ValueTask DisposeAsync() => process.DisposeAsync();

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"proxysql 127.0.0.1:{Port} (admin {AdminPort}, pid {Pid}, {Directory})");

    [GeneratedRegex("^(?<module>mysql|admin)-[a-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    [GeneratedRegex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex StatusName();

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>libconfig wants integers and booleans bare and everything else quoted.</summary>
    private static string ConfigValue(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || value is "true" or "false" ? value : Quote(value);

    private void PickPorts()
    {
        AdminPort = LoopbackPort.FindFree();
        do
        {
            Port = LoopbackPort.FindFree();
        }
        while (Port == AdminPort);
    }

    private async Task StartFirstTimeAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchRetryingCrashesAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ProxySqlStartException) when (attempt < BindAttempts && ReadLog().Contains("Address already in use", StringComparison.Ordinal))
            {
                // another process took a port between the check and the bind: pick others
                PickPorts();
                log.Clear();
            }
        }
    }

    private async Task LaunchRetryingCrashesAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchAndWaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ProxySqlStartException) when (startCrashed && attempt < CrashedStartAttempts && !ReadLog().Contains("Address already in use", StringComparison.Ordinal))
            {
                Remember($"(fixture: proxysql crashed during start, attempt {attempt} of {CrashedStartAttempts}; starting it again)");
            }
        }
    }

    private void WriteConfig()
    {
        var mysqlVariables = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["threads"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["interfaces"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}"),
            ["have_ssl"] = options.HaveSsl ? "true" : "false",
            ["server_version"] = ServerVersion,
            ["monitor_enabled"] = options.MonitorEnabled ? "true" : "false",
            ["monitor_username"] = MariaDbServer.AppUser,
            ["monitor_password"] = Backends[0].AppPassword,

            // ProxySQL's defaults (10 s pings, 60 s connects) are too slow for a test to see the monitor work
            ["monitor_ping_interval"] = "1000",
            ["monitor_connect_interval"] = "1000",
            ["max_connections"] = options.MaxConnections.ToString(CultureInfo.InvariantCulture),
            ["connect_timeout_server_max"] = ((long)options.ConnectTimeoutServerMax.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
        foreach ((string name, string value) in options.MysqlVariables)
        {
            mysqlVariables[name] = value;
        }

        var adminVariables = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["admin_credentials"] = AdminUser + ":" + AdminPassword,
            ["mysql_ifaces"] = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{AdminPort}"),
            ["web_enabled"] = "false",
            ["restapi_enabled"] = "false",
        };
        foreach ((string name, string value) in variables)
        {
            (name.StartsWith("mysql-", StringComparison.Ordinal) ? mysqlVariables : adminVariables)[name[(name.IndexOf('-', StringComparison.Ordinal) + 1)..]] = value;
        }

        var text = new StringBuilder();
        text.Append("datadir=").Append(Quote(DataDirectory)).Append('\n');
        AppendBlock(text, "admin_variables", adminVariables);
        AppendBlock(text, "mysql_variables", mysqlVariables);
        string status = backendsOnline ? "ONLINE" : "OFFLINE_HARD";
        text.Append("mysql_servers=\n(\n");
        text.AppendJoin(
            ",\n",
            Backends.Select(b => string.Create(CultureInfo.InvariantCulture, $"  {{ address=\"127.0.0.1\", port={b.Port}, hostgroup=0, max_connections=1000, status=\"{status}\" }}")));
        text.Append("\n)\n");
        text.Append("mysql_users=\n(\n  { username=").Append(Quote(MariaDbServer.AppUser))
            .Append(", password=").Append(Quote(Backends[0].AppPassword))
            .Append(", default_hostgroup=0, default_schema=").Append(Quote(MariaDbServer.AppDatabase)).Append(" }\n)\n");
        if (queryDelayMilliseconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"mysql_query_rules=\n(\n  {{ rule_id={DelayRuleId}, active=1, match_digest=\".\", delay={queryDelayMilliseconds}, apply=0 }}\n)\n");
        }

        File.WriteAllText(configPath, text.ToString());

        static void AppendBlock(StringBuilder text, string name, SortedDictionary<string, string> values)
        {
            text.Append(name).Append("=\n{\n");
            foreach ((string key, string value) in values)
            {
                text.Append("  ").Append(key).Append('=').Append(ConfigValue(value)).Append('\n');
            }

            text.Append("}\n");
        }
    }

    private async Task LaunchAndWaitAsync(CancellationToken cancellationToken)
    {
        startCrashed = false;
        WriteConfig();
        try
        {
            await process.LaunchAsync(binaryPath, ["-f", "--initial", "-c", configPath, "-D", DataDirectory], Remember, WaitUntilReadyAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProxySqlStartException($"'{binaryPath}' could not be started ({e.Message}). Is it a proxysql binary for this machine? It needs libgnutls30.", e);
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        log.Enqueue(line);
        while (log.Count > LogLines && log.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilReadyAsync(Process started, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.StartTimeout);
        var launchedAt = DateTime.Now; // local time, as in the node's log timestamps
        Exception? lastError = null;
        string client = new MySqlConnectionStringBuilder(ConnectionString) { Pooling = false, ConnectionTimeout = 2 }.ConnectionString;
        try
        {
            while (true)
            {
                if (started.HasExited)
                {
                    startCrashed = started.ExitCode >= 128; // killed by a signal, e.g. 139 for SIGSEGV
                    throw new ProxySqlStartException(
                        $"proxysql exited with code {started.ExitCode} during start (admin {AdminPort}, MySQL {Port}). Config {configPath}. Output:\n{ReadLog()}");
                }

                try
                {
                    if (await ScratchProcess.AcceptsTcpAsync(new IPEndPoint(IPAddress.Loopback, AdminPort), deadline.Token).ConfigureAwait(false)
                        && await ScratchProcess.AcceptsTcpAsync(EndPoint, deadline.Token).ConfigureAwait(false))
                    {
                        await AdminScalarAsync("SELECT 1", deadline.Token).ConfigureAwait(false);

                        // the handshake is answered by ProxySQL itself: this needs no backend
                        var connection = new MySqlConnection(client);
                        await using (connection.ConfigureAwait(false))
                        {
                            await connection.OpenAsync(deadline.Token).ConfigureAwait(false);
                        }

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
            throw new ProxySqlStartException(
                $"proxysql (admin {AdminPort}, MySQL {Port}), launched at {launchedAt:HH:mm:ss.fff}, was not ready within {options.StartTimeout.TotalSeconds:0.#} s " +
                $"(last error: {lastError?.Message ?? "TCP connect refused"}). Config {configPath}. Output:\n{ReadLog()}",
                lastError ?? new TimeoutException());
        }
    }
}
