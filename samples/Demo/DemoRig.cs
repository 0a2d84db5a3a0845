using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// The parts the demo runs on: one real <c>mariadbd</c> (its own datadir under the temp folder, a free loopback
/// port) and, per configured peer, one node in front of it: a real ProxySQL process (<see cref="ProxySqlNodeHost"/>)
/// or a <see cref="FaultRelay"/> standing in for one (<see cref="RelayNodeHost"/>). Disposing stops the nodes,
/// kills <c>mariadbd</c> by its PID and deletes their files.
/// </summary>
internal sealed class DemoRig : IAsyncDisposable
{
    private readonly Dictionary<string, INodeHost> _nodes;
    private Task<string>? _stopped;

    private DemoRig(MariaDbServer server, Dictionary<string, INodeHost> nodes, bool realProxySql)
    {
        Server = server;
        _nodes = nodes;
        RealProxySql = realProxySql;
    }

    public MariaDbServer Server { get; }

    /// <summary>Whether the nodes are real ProxySQL processes (else relays).</summary>
    public bool RealProxySql { get; }

    /// <summary>The nodes, by the configuration key of the peer each plays.</summary>
    public IReadOnlyDictionary<string, INodeHost> Nodes => _nodes;

    /// <summary>
    /// Starts MariaDB with the user and password of the shared connection string and its demo table, and one node
    /// for each peer configured in <paramref name="appSettings"/>: real ProxySQL from <paramref name="proxySqlBinary"/>,
    /// or relays when it is <see langword="null"/>.
    /// </summary>
    public static async Task<DemoRig> StartAsync(IConfiguration appSettings, string? proxySqlBinary, CancellationToken cancellationToken)
    {
        var section = appSettings.GetSection(DemoDatabases.ConfigurationSectionName);
        var keys = section.GetSection("Peers").GetChildren().Select(c => c.Key).ToArray();
        // The password lives in appsettings.json, like an application's would; the demo's server is made to match it.
        var shared = new MySqlConnectionStringBuilder(section["ConnectionString"] ?? "");
        var options = new MariaDbServerOptions { MaxConnections = 400 };
        if (!string.IsNullOrEmpty(shared.Password))
            options = options with { AppPassword = shared.Password };
        var server = await MariaDbServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var nodes = new Dictionary<string, INodeHost>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await server.ExecuteRootAsync(
                """
                CREATE TABLE IF NOT EXISTS app.demo_orders (
                    id BIGINT AUTO_INCREMENT PRIMARY KEY,
                    worker INT NOT NULL,
                    peer VARCHAR(32) NOT NULL,
                    created TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
                ) ENGINE=InnoDB
                """,
                cancellationToken).ConfigureAwait(false);
            if (proxySqlBinary is null)
            {
                foreach (var key in keys)
                    nodes[key] = new RelayNodeHost(FaultRelay.Start(server.EndPoint));
            }
            else
            {
                // one after the other: each start is quick (~0.5 s, the admin port binds in a 500 ms loop)
                foreach (var key in keys)
                    nodes[key] = await ProxySqlNodeHost.StartAsync(proxySqlBinary, server, cancellationToken).ConfigureAwait(false);
            }

            return new DemoRig(server, nodes, proxySqlBinary is not null);
        }
        catch
        {
            foreach (var node in nodes.Values)
                await node.DisposeAsync().ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The configuration an application would see: appsettings.json, with each peer's address overridden by a
    /// layer on top (here in memory; in production typically environment variables such as
    /// <c>ProxySql__Peers__Edge1__ConnectionString</c>).
    /// </summary>
    public IConfiguration Configuration(string basePath)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, node) in _nodes)
        {
            overrides[$"{DemoDatabases.ConfigurationSectionName}:Peers:{key}:ConnectionString"] =
                string.Create(CultureInfo.InvariantCulture, $"Server={node.EndPoint.Address};Port={node.EndPoint.Port}");
        }

        return new ConfigurationBuilder()
            .SetBasePath(basePath)
            .AddJsonFile("appsettings.json", optional: false)
            .AddInMemoryCollection(overrides)
            .Build();
    }

    /// <summary>Stops the nodes, then kills mariadbd by PID and deletes the files; says what it did.</summary>
    public Task<string> StopAsync() => _stopped ??= StopOnceAsync();

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task<string> StopOnceAsync()
    {
        var pid = Server.Pid;
        foreach (var node in _nodes.Values)
            await node.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        var gone = pid == 0 || !IsRunning(pid);
        var filesGone = !Directory.Exists(Server.Directory);
        var what = RealProxySql ? "ProxySQL nodes stopped" : "relays closed";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_nodes.Count} {what}; mariadbd (pid {pid}) {(gone ? "stopped" : "STILL RUNNING")}; files {(filesGone ? "deleted" : "NOT deleted: " + Server.Directory)}");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
