using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ProxySql.Testing;

namespace ProxySql.HostingTests;

/// <summary>Three relays (ProxySQL stand-ins) in front of the shared MariaDB, and the configuration pointing at them.</summary>
internal sealed class HostRig : IAsyncDisposable
{
    private HostRig(MariaDbServer server, FaultRelay[] relays)
    {
        Server = server;
        Relays = relays;
        Values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = $"Database=app;User ID=app;Password={server.AppPassword};Default Command Timeout=5",
            ["ProxySql:CheckInterval"] = "30",
            ["ProxySql:ConnectTimeout"] = "2",
            ["ProxySql:ProbeInterval"] = "0.5",
        };
        for (var i = 0; i < relays.Length; i++)
            Values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server=127.0.0.1;Port={relays[i].Port}";
    }

    public MariaDbServer Server { get; }

    public IReadOnlyList<FaultRelay> Relays { get; }

    public Dictionary<string, string?> Values { get; }

    public static async Task<HostRig> StartAsync()
    {
        var server = await SharedMariaDb.GetAsync();
        var relays = new FaultRelay[3];
        for (var i = 0; i < relays.Length; i++)
            relays[i] = FaultRelay.Start(server.EndPoint);
        return new HostRig(server, relays);
    }

    /// <summary>A port on loopback with nothing listening: a peer there is refused at once.</summary>
    public static string ClosedPeer() => string.Create(CultureInfo.InvariantCulture, $"Server=127.0.0.1;Port={LoopbackPort.FindFree()}");

    /// <summary>A host builder as an app has it (defaults: environment variables, logging), with this rig's configuration.</summary>
    public HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(Values);
        return builder;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var relay in Relays)
            await relay.DisposeAsync();
    }
}
