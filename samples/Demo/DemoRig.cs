using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// The parts the demo runs on: one real <c>mariadbd</c> (its own datadir under the temp folder, a free loopback
/// port) and one <see cref="FaultRelay"/> per peer standing in for a ProxySQL node in front of it. Disposing
/// closes the relays, kills <c>mariadbd</c> by its PID and deletes its files.
/// </summary>
internal sealed class DemoRig : IAsyncDisposable
{
    private readonly Dictionary<string, FaultRelay> _relays;
    private Task<string>? _stopped;

    private DemoRig(MariaDbServer server, Dictionary<string, FaultRelay> relays)
    {
        Server = server;
        _relays = relays;
    }

    public MariaDbServer Server { get; }

    /// <summary>The relays, by the configuration key of the peer each stands in for.</summary>
    public IReadOnlyDictionary<string, FaultRelay> Relays => _relays;

    /// <summary>
    /// Starts MariaDB with the password of the shared connection string and its demo table, and one relay for each
    /// peer configured in <paramref name="appSettings"/>.
    /// </summary>
    public static async Task<DemoRig> StartAsync(IConfiguration appSettings, CancellationToken cancellationToken)
    {
        var section = appSettings.GetSection(DemoDatabases.ConfigurationSectionName);
        var keys = section.GetSection("Peers").GetChildren().Select(c => c.Key).ToArray();
        // The password lives in appsettings.json, like an application's would; the demo's server is made to match it.
        var shared = new MySqlConnectionStringBuilder(section["ConnectionString"] ?? "");
        var options = string.IsNullOrEmpty(shared.Password) ? new MariaDbServerOptions() : new MariaDbServerOptions { AppPassword = shared.Password };
        var server = await MariaDbServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
        var relays = new Dictionary<string, FaultRelay>(StringComparer.OrdinalIgnoreCase);
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
            foreach (var key in keys)
                relays[key] = FaultRelay.Start(server.EndPoint);
            return new DemoRig(server, relays);
        }
        catch
        {
            foreach (var relay in relays.Values)
                await relay.DisposeAsync().ConfigureAwait(false);
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
        foreach (var (key, relay) in _relays)
        {
            overrides[$"{DemoDatabases.ConfigurationSectionName}:Peers:{key}:ConnectionString"] =
                string.Create(CultureInfo.InvariantCulture, $"Server={relay.EndPoint.Address};Port={relay.Port}");
        }

        return new ConfigurationBuilder()
            .SetBasePath(basePath)
            .AddJsonFile("appsettings.json", optional: false)
            .AddInMemoryCollection(overrides)
            .Build();
    }

    /// <summary>Closes the relays, then kills mariadbd by PID and deletes its files; says what it did.</summary>
    public Task<string> StopAsync() => _stopped ??= StopOnceAsync();

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task<string> StopOnceAsync()
    {
        var pid = Server.Pid;
        foreach (var relay in _relays.Values)
            await relay.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        var gone = pid == 0 || !IsRunning(pid);
        var filesGone = !Directory.Exists(Server.Directory);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{_relays.Count} relays closed; mariadbd (pid {pid}) {(gone ? "stopped" : "STILL RUNNING")}; its files {(filesGone ? "deleted" : "NOT deleted: " + Server.Directory)}");
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
