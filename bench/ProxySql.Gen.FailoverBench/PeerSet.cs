using System.Net;
using ProxySql.Testing;

namespace ProxySql.FailoverBench;

/// <summary>
/// Three relays (stand-ins for ProxySQL nodes) in front of one MariaDB, on 127.0.0.2, .3 and .4 sharing one port,
/// so that MySqlConnector's multi-host form (<c>Server=a,b,c;Port=p</c>) can address them. Each run gets a new
/// set on a new port, so no balancer inherits another's pooled sessions.
/// </summary>
internal sealed class PeerSet : IAsyncDisposable
{
    public static readonly IPAddress[] Addresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3"), IPAddress.Parse("127.0.0.4")];

    private PeerSet(FaultRelay[] relays, int port)
    {
        Relays = relays;
        Port = port;
    }

    public IReadOnlyList<FaultRelay> Relays { get; }

    public int Port { get; }

    /// <summary>The loopback host of peer <paramref name="index"/>.</summary>
    public static string Host(int index) => Addresses[index].ToString();

    public static PeerSet Start(IPEndPoint target)
    {
        int port = LoopbackPort.FindFree(Addresses);
        var relays = new FaultRelay[Addresses.Length];
        for (int i = 0; i < relays.Length; i++)
        {
            relays[i] = FaultRelay.Start(target, Addresses[i], port);
        }

        return new PeerSet(relays, port);
    }

    public long[] Bytes() => [.. Relays.Select(r => r.BytesRelayed)];

    public async ValueTask DisposeAsync()
    {
        foreach (FaultRelay relay in Relays)
        {
            await relay.DisposeAsync().ConfigureAwait(false);
        }
    }
}
