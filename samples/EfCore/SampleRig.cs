using System.Globalization;
using Microsoft.Extensions.Configuration;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.Samples.EfCore;

/// <summary>
/// A real mariadbd (its own datadir, a free loopback port) and one relay per configured peer standing in for a ProxySQL
/// node; the configuration is pointed at the relays. Disposing stops everything and deletes the files.
/// </summary>
internal sealed class SampleRig : IAsyncDisposable
{
    private SampleRig(MariaDbServer server, FaultRelay[] relays, IConfigurationRoot configuration)
    {
        Server = server;
        Relays = relays;
        Configuration = configuration;
    }

    public MariaDbServer Server { get; }

    public IReadOnlyList<FaultRelay> Relays { get; }

    public IConfigurationRoot Configuration { get; }

    public static async Task<SampleRig> StartAsync(IConfiguration appSettings)
    {
        var section = appSettings.GetSection("ProxySql");
        var shared = new MySqlConnectionStringBuilder(section["ConnectionString"] ?? "");
        var server = await MariaDbServer.StartAsync(new MariaDbServerOptions { AppPassword = shared.Password });
        foreach (var host in new[] { "%", "127.0.0.1" })
            await server.ExecuteRootAsync($"GRANT ALL PRIVILEGES ON `{shared.Database}`.* TO 'app'@'{host}'");
        var keys = section.GetSection("Peers").GetChildren().Select(c => c.Key).ToArray();
        var relays = keys.Select(_ => FaultRelay.Start(server.EndPoint)).ToArray();
        var overrides = new Dictionary<string, string?>();
        for (var i = 0; i < keys.Length; i++)
            overrides[$"ProxySql:Peers:{keys[i]}:ConnectionString"] = $"Server=127.0.0.1;Port={relays[i].Port.ToString(CultureInfo.InvariantCulture)}";
        var configuration = new ConfigurationBuilder().AddConfiguration(appSettings).AddInMemoryCollection(overrides).Build();
        return new SampleRig(server, relays, configuration);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in Relays)
            await relay.DisposeAsync();
        await Server.DisposeAsync();
    }
}
