using System.Collections.Concurrent;
using MySqlConnector;
using ProxySql.Core;

namespace ProxySql.Tests;

/// <summary>
/// The balancer's I/O replaced by a script per server name: each open, listener check, probe statement or ping asks
/// the script what to do. Connections are real (closed) MySqlConnection objects from the peers' real data sources;
/// nothing touches the network.
/// </summary>
internal sealed class ScriptedConnector : IPeerConnector
{
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _probeScripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _statementScripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _pingAnswers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _opens = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _statements = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Opens on <paramref name="server"/> run <paramref name="script"/>; by default they succeed at once.</summary>
    public void On(string server, Func<CancellationToken, Task> script) => _scripts[server] = script;

    /// <summary>Probe connects and listener checks of <paramref name="server"/> run <paramref name="script"/> instead of its open script.</summary>
    public void OnProbe(string server, Func<CancellationToken, Task> script) => _probeScripts[server] = script;

    /// <summary>Probe statements on <paramref name="server"/> run <paramref name="script"/>; by default they succeed.</summary>
    public void OnStatement(string server, Func<CancellationToken, Task> script) => _statementScripts[server] = script;

    /// <summary>What COM_PING on a kept probe session of <paramref name="server"/> answers; by default it answers.</summary>
    public void PingAnswers(string server, bool answers) => _pingAnswers[server] = answers;

    public void Succeeds(string server) => On(server, _ => Task.CompletedTask);

    public void Throws(string server, Func<Exception> error) => On(server, _ => Task.FromException(error()));

    /// <summary>Never completes until cancelled (a blackholed peer).</summary>
    public void Hangs(string server) => On(server, ct => Task.Delay(Timeout.Infinite, ct));

    public int Opens(string server) => _opens.GetValueOrDefault(server);

    /// <summary>Probe connects plus listener checks.</summary>
    public int Probes(string server) => _probes.GetValueOrDefault(server);

    public int Statements(string server) => _statements.GetValueOrDefault(server);

    public Task OpenAsync(MySqlConnection connection)
    {
        var server = ServerOf(connection.ConnectionString);
        _opens.AddOrUpdate(server, 1, (_, n) => n + 1);
        return Run(server, CancellationToken.None);
    }

    public Task ConnectProbeAsync(MySqlConnection connection, CancellationToken cancellationToken) => Probe(ServerOf(connection.ConnectionString), cancellationToken);

    public Task CheckListenerAsync(string connectionString, Func<MySqlConnection> fresh, CancellationToken cancellationToken) => Probe(ServerOf(connectionString), cancellationToken);

    public Task RunProbeStatementAsync(MySqlConnection session, string statement, CancellationToken cancellationToken)
    {
        var server = ServerOf(session.ConnectionString);
        _statements.AddOrUpdate(server, 1, (_, n) => n + 1);
        return _statementScripts.TryGetValue(server, out var script) ? script(cancellationToken) : Task.CompletedTask;
    }

    public Task<bool> PingAsync(MySqlConnection session, CancellationToken cancellationToken) =>
        Task.FromResult(_pingAnswers.GetValueOrDefault(ServerOf(session.ConnectionString), true));

    private static string ServerOf(string connectionString) => new MySqlConnectionStringBuilder(connectionString).Server;

    private Task Probe(string server, CancellationToken cancellationToken)
    {
        _probes.AddOrUpdate(server, 1, (_, n) => n + 1);
        return _probeScripts.TryGetValue(server, out var script) ? script(cancellationToken) : Run(server, cancellationToken);
    }

    private Task Run(string server, CancellationToken cancellationToken) =>
        _scripts.TryGetValue(server, out var script) ? script(cancellationToken) : Task.CompletedTask;
}
