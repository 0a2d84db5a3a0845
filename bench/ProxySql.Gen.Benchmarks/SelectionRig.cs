using Microsoft.Extensions.Configuration;
using ProxySql.Core;

namespace ProxySql.Benchmarks;

/// <summary>
/// A balancer over three peers on closed loopback ports, for measuring selection only: nothing connects
/// (no open is made; probes succeed without the network and are pushed out to an hour).
/// </summary>
internal sealed class SelectionRig : IDisposable
{
    private static readonly ProxySqlPeerDefinition[] Definitions = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "Edge3")];
    private readonly Balancer balancer;

    public SelectionRig(ProxySqlStrategy strategy)
    {
        var values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = "Database=app;User ID=app;Password=unused",
            ["ProxySql:Strategy"] = strategy.ToString(),
            ["ProxySql:ProbeInterval"] = "3600",
            ["ProxySql:Peers:Edge1:ConnectionString"] = "Server=127.0.0.1;Port=9",
            ["ProxySql:Peers:Edge2:ConnectionString"] = "Server=127.0.0.2;Port=9",
            ["ProxySql:Peers:Edge3:ConnectionString"] = "Server=127.0.0.3;Port=9",
        };
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        balancer = Balancer.Start(configuration, "ProxySql", Definitions, new ProxySqlDefaults(), new BalancerServices(null, TimeProvider.System, new NoNetworkConnector(), Random.Shared, null));
    }

    /// <summary>One selection as the open path makes it, with no peer excluded.</summary>
    public int SelectOnce() => balancer.Select(0UL)?.Index ?? -1;

    public void Dispose() => balancer.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
