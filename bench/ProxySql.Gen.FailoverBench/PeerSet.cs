using System.Net;
using ProxySql.Testing;

namespace ProxySql.FailoverBench;

/// <summary>
/// Three relays on 127.0.0.2, .3 and .4 sharing one port, so that MySqlConnector's multi-host form
/// (<c>Server=a,b,c;Port=p</c>) can address them: each in front of its own target (the MariaDB itself, standing in for a
/// ProxySQL node, or a real node). Each run gets a new set on a new port, so no balancer inherits another's pooled sessions.
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

    /// <summary>Starts one relay per target, peer i in front of <paramref name="targets"/>[i].</summary>
    public static PeerSet Start(IReadOnlyList<IPEndPoint> targets)
    {
        int port = LoopbackPort.FindFree(Addresses);
        var relays = new FaultRelay[Addresses.Length];
        for (int i = 0; i < relays.Length; i++)
        {
            relays[i] = FaultRelay.Start(targets[i], Addresses[i], port);
        }

        return new PeerSet(relays, port);
    }

    public long[] Bytes() => [.. Relays.Select(r => r.BytesRelayed)];

    /// <summary>Sessions each relay has accepted since it started: the new connections each peer got.</summary>
    public long[] Sessions() => [.. Relays.Select(r => r.TotalSessions)];

    public async ValueTask DisposeAsync()
    {
        foreach (FaultRelay relay in Relays)
        {
            await relay.DisposeAsync().ConfigureAwait(false);
        }
    }
}
