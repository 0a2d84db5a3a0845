using BenchmarkDotNet.Attributes;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Benchmarks;

/// <summary>
/// Open and close through the balancer versus a plain pooled <see cref="MySqlConnection"/>, both on one real
/// MariaDB started for the run (no relay in between). The balancer's three peers point at that server with their
/// own pools; the plain connection string is the first peer's merged string with another application name, so
/// both sides have the same pool settings. Pools are warm: this is the steady-state cost of an open.
/// </summary>
[BenchmarkCategory("Open")]
public class OpenBenchmarks
{
    private MariaDbServer? server;
    private BenchDatabases? databases;
    private string plainConnectionString = "";

    /// <summary>Starts MariaDB and the balancer, and warms every pool.</summary>
    /// <returns>A task that completes when ready.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        server = await MariaDbServer.StartAsync().ConfigureAwait(false);
        string shared = $"Database={MariaDbServer.AppDatabase};User ID={MariaDbServer.AppUser};Password={server.AppPassword}";
        databases = BenchDatabases.Create(
            shared,
            [.. Enumerable.Range(1, 3).Select(i => $"Server=127.0.0.1;Port={server.Port};Application Name=edge{i}")],
            ProxySqlStrategy.Random);
        plainConnectionString = new MySqlConnectionStringBuilder(databases.Edge1.Settings.ConnectionString) { ApplicationName = "plain" }.ConnectionString;
        for (int i = 0; i < 100; i++)
        {
            await PlainAsync().ConfigureAwait(false);
            await BalancedAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the balancer and MariaDB.</summary>
    /// <returns>A task that completes when everything is gone.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (databases is not null)
        {
            await databases.DisposeAsync().ConfigureAwait(false);
        }

        MySqlConnection.ClearAllPools();
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>A plain pooled open and close.</summary>
    /// <returns>A task that completes when the connection is back in its pool.</returns>
    [Benchmark(Baseline = true)]
    public async Task PlainAsync()
    {
        var connection = new MySqlConnection(plainConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>An open through the balancer (selection, per-attempt timeout, in-use tracking) and close.</summary>
    /// <returns>A task that completes when the connection is back in its pool.</returns>
    [Benchmark]
    public async Task BalancedAsync()
    {
        MySqlConnection connection = await databases!.OpenConnectionAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
