using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// A real ProxySQL node: <c>proxysql -f --initial</c> (foreground, so this class owns its one PID) on two free
/// loopback ports (MySQL and admin), with its own config file, datadir and log under <see cref="DemoScratch"/>, in
/// front of the demo's MariaDB (hostgroup 0, the app user, <c>have_ssl=false</c> so the client leg stays plain,
/// monitor off). Pause and resume go through the admin interface; stop is SIGTERM, kill is SIGKILL, start runs the
/// same command on the same config and datadir. A background loop reads the node's own figures from its admin.
/// </summary>
internal sealed class ProxySqlNodeHost : INodeHost
{
    private const string AdminUser = "admin";
    private const string AdminPassword = "admin";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(200);

    private readonly string _binary;
    private readonly string _directory;
    private readonly string _configPath;
    private readonly string _dataDirectory;
    private readonly string _logPath;
    private readonly ProxySqlAdmin _admin;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _polling;
    private Process? _process;
    private volatile NodeCondition _condition = NodeCondition.Stopped;
    private bool _backendsOffline;
    private StatusReading? _lastReading;

    private ProxySqlNodeHost(string binary, string directory, IPEndPoint endPoint, IPEndPoint adminEndPoint)
    {
        _binary = binary;
        _directory = directory;
        _configPath = Path.Combine(directory, "proxysql.cnf");
        _dataDirectory = Path.Combine(directory, "data");
        _logPath = Path.Combine(directory, "proxysql.log");
        EndPoint = endPoint;
        _admin = new ProxySqlAdmin(adminEndPoint, AdminUser, AdminPassword);
        _polling = Task.Run(PollAsync);
    }

    public IPEndPoint EndPoint { get; }

    public string Describe => string.Create(
        CultureInfo.InvariantCulture,
        $"ProxySQL :{EndPoint.Port} (admin :{_admin.EndPoint.Port}, pid {_process?.Id ?? 0}) -> mariadbd");

    public NodeStatus Status
    {
        get
        {
            var condition = _condition;
            var reading = Volatile.Read(ref _lastReading);
            // figures are shown only while the process that gave them still runs
            return reading is not null && condition is not (NodeCondition.Stopped or NodeCondition.Killed or NodeCondition.Starting)
                ? new NodeStatus(condition, reading.Sessions, reading.ListenerPaused)
                : new NodeStatus(condition, null, null);
        }
    }

    public bool CanBlackhole => false;

    public bool CanDropBackends => true;

    /// <summary>
    /// Writes the node's config under <paramref name="directory"/> and starts it in front of <paramref name="backend"/>,
    /// for the application user <paramref name="appUser"/> with <paramref name="appPassword"/>.
    /// </summary>
    public static async Task<ProxySqlNodeHost> StartAsync(string binary, string directory, IPEndPoint backend, string appUser, string appPassword, CancellationToken cancellationToken)
    {
        foreach (var (what, value) in new[] { ("user", appUser), ("password", appPassword) })
        {
            if (value.IndexOfAny(['"', '\\', '\n']) >= 0)
                throw new ArgumentException($"The application {what} from appsettings.json contains a quote, backslash or line break, which the demo cannot write into a ProxySQL config file.", nameof(appPassword));
        }

        Directory.CreateDirectory(directory);
        var endPoint = new IPEndPoint(IPAddress.Loopback, LoopbackPort.FindFree());
        var adminEndPoint = new IPEndPoint(IPAddress.Loopback, LoopbackPort.FindFree());
        var node = new ProxySqlNodeHost(binary, directory, endPoint, adminEndPoint);
        try
        {
            Directory.CreateDirectory(node._dataDirectory);
            await File.WriteAllTextAsync(node._configPath, Config(node._dataDirectory, endPoint, adminEndPoint, backend, appUser, appPassword), cancellationToken).ConfigureAwait(false);
            await node.StartAsync(cancellationToken).ConfigureAwait(false);
            return node;
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<string> PauseAsync(CancellationToken cancellationToken)
    {
        var refused = await _admin.ExecuteAsync("PROXYSQL PAUSE", cancellationToken).ConfigureAwait(false);
        if (refused is null)
            _condition = NodeCondition.Paused;
        return refused ?? "OK";
    }

    public async Task<string> ResumeAsync(CancellationToken cancellationToken)
    {
        var refused = await _admin.ExecuteAsync("PROXYSQL RESUME", cancellationToken).ConfigureAwait(false);
        if (refused is null)
            _condition = _backendsOffline ? NodeCondition.NoBackends : NodeCondition.Up;
        return refused ?? "OK";
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is not { } process)
                return;
            _condition = NodeCondition.Stopped;
            if (!process.HasExited)
            {
                // SIGTERM: ProxySQL shuts down cleanly in under a second
                using var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false });
                if (term is not null)
                    await term.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(StopTimeout);
                try
                {
                    await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    process.Kill();
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            Forget(process);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is not { } process)
                return;
            _condition = NodeCondition.Killed;
            if (!process.HasExited)
            {
                process.Kill(); // SIGKILL: a crash; the kernel resets every client socket
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            Forget(process);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_process is { HasExited: false } running)
                throw new InvalidOperationException($"ProxySQL on port {EndPoint.Port} is already running (pid {running.Id}).");
            _condition = NodeCondition.Starting;
            _backendsOffline = false; // --initial: the config file's servers, ONLINE
            var process = Launch();
            _process = process;
            await File.WriteAllTextAsync(Path.Combine(_directory, DemoScratch.PidFileName), process.Id.ToString(CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
            await WaitUntilReadyAsync(process, cancellationToken).ConfigureAwait(false);
            _condition = NodeCondition.Up;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public Task SetBlackholedAsync(bool blackholed, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A real ProxySQL node cannot be blackholed by the demo (that needs a relay or a firewall rule in front of it).");

    public async Task SetBackendsOnlineAsync(bool online, CancellationToken cancellationToken)
    {
        await AdminOrThrowAsync($"UPDATE mysql_servers SET status = '{(online ? "ONLINE" : "OFFLINE_HARD")}'", cancellationToken).ConfigureAwait(false);
        await AdminOrThrowAsync("LOAD MYSQL SERVERS TO RUNTIME", cancellationToken).ConfigureAwait(false);
        _backendsOffline = !online;
        if (_condition is NodeCondition.Up or NodeCondition.NoBackends)
            _condition = online ? NodeCondition.Up : NodeCondition.NoBackends;
    }

    /// <summary>Sets a <c>mysql-</c> variable at runtime (<c>UPDATE global_variables</c> + <c>LOAD MYSQL VARIABLES TO RUNTIME</c>).</summary>
    public async Task SetVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        await AdminOrThrowAsync($"UPDATE global_variables SET variable_value = '{value}' WHERE variable_name = '{name}'", cancellationToken).ConfigureAwait(false);
        await AdminOrThrowAsync("LOAD MYSQL VARIABLES TO RUNTIME", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The node's figures read from its admin now (not the background loop's last reading).</summary>
    public async Task<NodeStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var (sessions, paused) = await _admin.ReadStatsAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastReading, new StatusReading(sessions, paused));
        return new NodeStatus(_condition, sessions, paused);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
            return;
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _disposing.Dispose();
        _lifecycle.Dispose();
    }

    /// <summary>The last lines of the node's log, for an error message.</summary>
    public string LogTail(int lines = 8)
    {
        try
        {
            return string.Join('\n', File.ReadLines(_logPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static string Config(string dataDirectory, IPEndPoint endPoint, IPEndPoint admin, IPEndPoint backend, string user, string password) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            datadir="{{dataDirectory}}"
            admin_variables=
            {
                admin_credentials="{{AdminUser}}:{{AdminPassword}}"
                mysql_ifaces="{{admin}}"
                web_enabled=false
                restapi_enabled=false
            }
            mysql_variables=
            {
                threads=1
                interfaces="{{endPoint}}"
                have_ssl=false
                server_version="10.11.6-MariaDB"
                monitor_enabled=false
                connect_timeout_server_max=10000
            }
            mysql_servers=
            (
                { address="{{backend.Address}}", port={{backend.Port}}, hostgroup=0, max_connections=1000 }
            )
            mysql_users=
            (
                { username="{{user}}", password="{{password}}", default_hostgroup=0, default_schema="{{MariaDbServer.AppDatabase}}" }
            )

            """);

    private Process Launch()
    {
        // exec: the shell becomes proxysql, so the PID started here is the node's; its output goes to the log file
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec \"$0\" -f --initial -c \"$1\" -D \"$2\" >>\"$3\" 2>&1", _binary, _configPath, _dataDirectory, _logPath },
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {_binary}.");
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        Exception? last = null;
        while (Stopwatch.GetElapsedTime(started) < ReadyTimeout)
        {
            if (process.HasExited)
                throw new ProxySqlStartException($"ProxySQL ({_binary}) exited with code {process.ExitCode} before it answered; its log {_logPath} ends:\n{LogTail()}");
            try
            {
                // the admin port binds in a 500 ms loop; the MySQL port shortly after start
                await ReadStatusAsync(cancellationToken).ConfigureAwait(false);
                using var probe = new TcpClient();
                await probe.ConnectAsync(EndPoint, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is MySqlConnector.MySqlException or SocketException or InvalidOperationException)
            {
                last = ex;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new ProxySqlStartException($"ProxySQL ({_binary}, pid {process.Id}) did not answer on admin {_admin.EndPoint} and {EndPoint} within {ReadyTimeout.TotalSeconds:0} s ({last?.Message}); its log {_logPath} ends:\n{LogTail()}");
    }

    private void Forget(Process process)
    {
        process.Dispose();
        _process = null;
        Volatile.Write(ref _lastReading, null);
        File.Delete(Path.Combine(_directory, DemoScratch.PidFileName));
    }

    private async Task AdminOrThrowAsync(string command, CancellationToken cancellationToken)
    {
        if (await _admin.ExecuteAsync(command, cancellationToken).ConfigureAwait(false) is { } refused)
            throw new InvalidOperationException($"ProxySQL admin {_admin.EndPoint} refused '{command}': {refused}");
    }

    private async Task PollAsync()
    {
        var stop = _disposing.Token;
        using var timer = new PeriodicTimer(PollPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (_condition is NodeCondition.Stopped or NodeCondition.Killed or NodeCondition.Starting)
                    continue;
                try
                {
                    await ReadStatusAsync(stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is MySqlConnector.MySqlException or SocketException or InvalidOperationException or IOException)
                {
                    Volatile.Write(ref _lastReading, null); // the view shows "?" rather than a stale figure
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // disposed
        }
    }

    private sealed record StatusReading(int Sessions, bool ListenerPaused);
}
