using System.Globalization;
using System.Net;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// A real ProxySQL node played by the test suites' fixture (<see cref="ProxySqlNode"/>, tests/ProxySql.Gen.Testing:
/// <c>proxysql -f --initial</c> on two free loopback ports with its own config and datadir, in front of the demo's
/// MariaDB), seen the way the demo's scenario and live view need it: what condition the node is in, and its own
/// figures (client sessions, listener paused) read from its admin interface in the background.
/// </summary>
internal sealed class ProxySqlNodeHost : INodeHost
{
    private const string AdminErrorPrefix = "ProxySQL Admin Error: ";
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(200);

    private readonly ProxySqlNode _node;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _polling;
    private volatile NodeCondition _condition = NodeCondition.Up;
    private volatile bool _backendsOffline;
    private StatusReading? _lastReading;

    private ProxySqlNodeHost(ProxySqlNode node)
    {
        _node = node;
        _polling = Task.Run(PollAsync);
    }

    public IPEndPoint EndPoint => _node.EndPoint;

    public string Describe => string.Create(
        CultureInfo.InvariantCulture,
        $"ProxySQL :{_node.Port} (admin :{_node.AdminPort}, pid {_node.Pid}) -> mariadbd");

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

    /// <summary>Starts a node from <paramref name="binary"/> in front of <paramref name="backend"/>, for its application user.</summary>
    public static async Task<ProxySqlNodeHost> StartAsync(string binary, MariaDbServer backend, CancellationToken cancellationToken) =>
        new(await ProxySqlNode.StartAsync(backend, new ProxySqlNodeOptions { BinaryPath = binary }, cancellationToken).ConfigureAwait(false));

    public async Task<string> PauseAsync(CancellationToken cancellationToken)
    {
        var refused = await RefusalOfAsync(_node.PauseAsync(cancellationToken)).ConfigureAwait(false);
        if (refused is null)
            _condition = NodeCondition.Paused;
        return refused ?? "OK";
    }

    public async Task<string> ResumeAsync(CancellationToken cancellationToken)
    {
        var refused = await RefusalOfAsync(_node.ResumeAsync(cancellationToken)).ConfigureAwait(false);
        if (refused is null)
            _condition = _backendsOffline ? NodeCondition.NoBackends : NodeCondition.Up;
        return refused ?? "OK";
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _condition = NodeCondition.Stopped;
        await _node.StopAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastReading, null);
    }

    public async Task KillAsync(CancellationToken cancellationToken)
    {
        _condition = NodeCondition.Killed;
        await _node.KillAsync().ConfigureAwait(false);
        Volatile.Write(ref _lastReading, null);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _condition = NodeCondition.Starting;
        await _node.StartAsync(cancellationToken).ConfigureAwait(false);

        // the fixture keeps its runtime changes (backend status, variables) across restarts
        _condition = _backendsOffline ? NodeCondition.NoBackends : NodeCondition.Up;
    }

    public Task SetBlackholedAsync(bool blackholed, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A real ProxySQL node cannot be blackholed by the demo (that needs a relay or a firewall rule in front of it).");

    public async Task SetBackendsOnlineAsync(bool online, CancellationToken cancellationToken)
    {
        await _node.SetBackendsOnlineAsync(online, cancellationToken).ConfigureAwait(false);
        _backendsOffline = !online;
        if (_condition is NodeCondition.Up or NodeCondition.NoBackends)
            _condition = online ? NodeCondition.Up : NodeCondition.NoBackends;
    }

    public Task SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        _node.SetVariableAsync(name, value, cancellationToken);

    /// <summary>The node's figures read from its admin now (not the background loop's last reading).</summary>
    public async Task<NodeStatus> ReadStatusAsync(CancellationToken cancellationToken)
    {
        var sessions = await _node.ClientConnectionsAsync(cancellationToken).ConfigureAwait(false);
        var paused = await _node.IsListenerPausedAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastReading, new StatusReading(checked((int)sessions), paused));
        return new NodeStatus(_condition, checked((int)sessions), paused);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested)
            return;
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _polling.ConfigureAwait(false);
        await _node.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _node.DisposeAsync().ConfigureAwait(false);
        _disposing.Dispose();
    }

    /// <summary><see langword="null"/> when the admin command succeeded, else ProxySQL's answer (e.g. RESUME on a node that is not paused).</summary>
    private static async Task<string?> RefusalOfAsync(Task command)
    {
        try
        {
            await command.ConfigureAwait(false);
            return null;
        }
        catch (MySqlException ex) when (ex.ErrorCode != MySqlErrorCode.UnableToConnectToHost)
        {
            return ex.Message.StartsWith(AdminErrorPrefix, StringComparison.Ordinal) ? ex.Message[AdminErrorPrefix.Length..] : ex.Message;
        }
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
                catch (Exception ex) when (ex is MySqlException or System.Net.Sockets.SocketException or InvalidOperationException or IOException)
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
