using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using ProxySql.Testing;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>Three relays (stand-ins for ProxySQL nodes) in front of MariaDB, the balancer over them, and EF Core options.</summary>
internal sealed class EfRig : IAsyncDisposable
{
    private static int s_databases;

    private EfRig(MariaDbServer server, FaultRelay[] relays, Dictionary<string, string?> values, string database)
    {
        Server = server;
        Relays = relays;
        Values = values;
        Database = database;
    }

    public MariaDbServer Server { get; }

    public IReadOnlyList<FaultRelay> Relays { get; }

    public Dictionary<string, string?> Values { get; }

    /// <summary>A database of this rig's own (ef_…), which the app user may create and drop.</summary>
    public string Database { get; }

    public static async Task<EfRig> StartAsync(string strategy = "Random")
    {
        var server = await SharedMariaDb.GetAsync();
        foreach (var host in new[] { "%", "127.0.0.1" })
            await server.ExecuteRootAsync($"GRANT ALL PRIVILEGES ON `ef\\_%`.* TO 'app'@'{host}'");
        var database = $"ef_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}";
        var relays = new FaultRelay[3];
        for (var i = 0; i < relays.Length; i++)
            relays[i] = FaultRelay.Start(server.EndPoint);
        var values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database={database};User ID=app;Password={server.AppPassword};Default Command Timeout=5",
            ["ProxySql:Strategy"] = strategy,
            ["ProxySql:CheckInterval"] = "30",
            ["ProxySql:ConnectTimeout"] = "2",
            ["ProxySql:HedgeDelay"] = "0.1",
            ["ProxySql:ProbeInterval"] = "3600",
        };
        for (var i = 0; i < relays.Length; i++)
            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server=127.0.0.1;Port={relays[i].Port.ToString(CultureInfo.InvariantCulture)}";
        return new EfRig(server, relays, values, database);
    }

    public ThreePeers CreateDatabases() => new(BuildConfiguration());

    public IConfigurationRoot BuildConfiguration() => new ConfigurationBuilder().AddInMemoryCollection(Values).Build();

    public static ServerVersion Version { get; } = ServerVersion.Parse("10.11.0-mariadb");

    public static DbContextOptions<ShopContext> Options(ThreePeers databases, Action<Microsoft.EntityFrameworkCore.Infrastructure.MySqlDbContextOptionsBuilder>? mySql = null, Action<DbContextOptionsBuilder<ShopContext>>? more = null)
    {
        var builder = new DbContextOptionsBuilder<ShopContext>().UseProxySql(databases, Version, mySql);
        more?.Invoke(builder);
        return builder.Options;
    }

    /// <summary>Creates the rig's database and schema through the balancer.</summary>
    public static async Task CreateSchemaAsync(ThreePeers databases)
    {
        await using var context = new ShopContext(Options(databases));
        await context.Database.EnsureDeletedAsync();
        await context.Database.EnsureCreatedAsync();
    }

    public string Describe(ThreePeers databases) =>
        string.Join("; ", databases.Peers.Select((p, i) => $"{p.Name} {p.State} inUse={p.ConnectionsInUse} relay={Relays[i].Mode}/{Relays[i].OpenSessions} open err={p.LastError}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in Relays)
            await relay.DisposeAsync();
        await Server.ExecuteRootAsync($"DROP DATABASE IF EXISTS `{Database}`");
    }
}
