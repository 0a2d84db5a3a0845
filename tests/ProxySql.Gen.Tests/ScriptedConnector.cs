using System.Collections.Concurrent;
using MySqlConnector;
using ProxySql.Balancing;

namespace ProxySql.Tests;

/// <summary>
/// The balancer's I/O replaced by a script per server name: each open or probe asks the script what to do. Connections
/// are real (closed) MySqlConnection objects; nothing touches the network.
/// </summary>
internal sealed class ScriptedConnector : IPeerConnector
{
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> _probeScripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _opens = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _probes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _clears = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Opens on <paramref name="server"/> run <paramref name="script"/>; by default they succeed at once.</summary>
    public void On(string server, Func<CancellationToken, Task> script) => _scripts[server] = script;

    /// <summary>Background probes of <paramref name="server"/> run <paramref name="script"/> instead of its open script.</summary>
    public void OnProbe(string server, Func<CancellationToken, Task> script) => _probeScripts[server] = script;

    public void Succeeds(string server) => On(server, _ => Task.CompletedTask);

    public void Throws(string server, Func<Exception> error) => On(server, _ => Task.FromException(error()));

    /// <summary>Never completes until cancelled (a blackholed peer).</summary>
    public void Hangs(string server) => On(server, ct => Task.Delay(Timeout.Infinite, ct));

    public int Opens(string server) => _opens.GetValueOrDefault(server);

    public int Probes(string server) => _probes.GetValueOrDefault(server);

    public int Clears(string server) => _clears.GetValueOrDefault(server);

    public MySqlConnection CreateConnection(string connectionString) => new(connectionString);

    public Task OpenAsync(MySqlConnection connection, CancellationToken cancellationToken)
    {
        var server = new MySqlConnectionStringBuilder(connection.ConnectionString).Server;
        _opens.AddOrUpdate(server, 1, (_, n) => n + 1);
        return Run(server, cancellationToken);
    }

    public Task ProbeAsync(string probeConnectionString, CancellationToken cancellationToken)
    {
        var server = new MySqlConnectionStringBuilder(probeConnectionString).Server;
        _probes.AddOrUpdate(server, 1, (_, n) => n + 1);
        return _probeScripts.TryGetValue(server, out var script) ? script(cancellationToken) : Run(server, cancellationToken);
    }

    public Task ClearPoolAsync(string connectionString)
    {
        var server = new MySqlConnectionStringBuilder(connectionString).Server;
        _clears.AddOrUpdate(server, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    private Task Run(string server, CancellationToken cancellationToken) =>
        _scripts.TryGetValue(server, out var script) ? script(cancellationToken) : Task.CompletedTask;
}
