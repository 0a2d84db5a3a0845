using ProxySql.Testing;

namespace ProxySql.FailoverBench;

/// <summary>
/// What one run's balancers talk to: the <see cref="PeerSet"/> of relays, in front of the MariaDB itself (relay rig) or
/// in front of three real ProxySQL nodes started for the run (ProxySQL rig), and the verbs that fault and heal the third
/// peer the way an operator or a crash would.
/// </summary>
/// <remarks>
/// On real nodes the relay is kept in every peer's path, because MySqlConnector's multi-host form needs one port on
/// three addresses, the relays count each peer's bytes and sessions, and a blackhole needs one. Where the node itself
/// stops listening (pause, kill) the relay stops too, so clients see a refused connect as they would without it.
/// </remarks>
internal sealed class PeerRig : IAsyncDisposable
{
    private readonly ProxySqlCluster? cluster;

    private PeerRig(RigKind kind, PeerSet peers, ProxySqlCluster? cluster)
    {
        Kind = kind;
        Peers = peers;
        this.cluster = cluster;
    }

    public RigKind Kind { get; }

    public PeerSet Peers { get; }

    private FaultRelay FaultedRelay => Peers.Relays[Runner.FaultedPeer];

    private ProxySqlNode FaultedNode => cluster?.Nodes[Runner.FaultedPeer] ?? throw new InvalidOperationException("This fault needs the ProxySQL rig (--rig proxysql).");

    public static async Task<PeerRig> StartAsync(RigKind kind, MariaDbServer server)
    {
        if (kind == RigKind.Relay)
        {
            return new PeerRig(kind, PeerSet.Start([server.EndPoint, server.EndPoint, server.EndPoint]), null);
        }

        ProxySqlCluster cluster = await ProxySqlCluster.StartAsync(PeerSet.Addresses.Length, server).ConfigureAwait(false);
        try
        {
            return new PeerRig(kind, PeerSet.Start([.. cluster.Nodes.Select(n => n.EndPoint)]), cluster);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the scenario's fault on the third peer; returns when it is in effect.</summary>
    public async Task FaultAsync(Scenario scenario)
    {
        if (Kind == RigKind.Relay || scenario == Scenario.Blackhole)
        {
            if (scenario.FaultMode() is RelayMode mode)
            {
                FaultedRelay.Mode = mode;
            }

            return;
        }

        switch (scenario)
        {
            case Scenario.Pause:
                await FaultedNode.PauseAsync().ConfigureAwait(false);
                FaultedRelay.Mode = RelayMode.Paused;
                break;
            case Scenario.Kill or Scenario.SlowStart:
                await FaultedNode.KillAsync().ConfigureAwait(false);
                FaultedRelay.Mode = RelayMode.Killed;
                break;
            case Scenario.BackendLoss:
                await FaultedNode.SetBackendsOnlineAsync(false).ConfigureAwait(false);
                break;
            case Scenario.Slow:
                await FaultedNode.SetQueryDelayAsync(ScenarioModes.SlowDelay).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Ends the fault; returns when the peer serves again (a killed node restarted).</summary>
    public async Task HealAsync(Scenario scenario)
    {
        if (Kind == RigKind.ProxySql)
        {
            switch (scenario)
            {
                case Scenario.Pause:
                    await FaultedNode.ResumeAsync().ConfigureAwait(false);
                    break;
                case Scenario.Kill or Scenario.SlowStart:
                    await FaultedNode.StartAsync().ConfigureAwait(false);
                    break;
                case Scenario.BackendLoss:
                    await FaultedNode.SetBackendsOnlineAsync(true).ConfigureAwait(false);
                    break;
                case Scenario.Slow:
                    await FaultedNode.SetQueryDelayAsync(TimeSpan.Zero).ConfigureAwait(false);
                    break;
            }
        }

        FaultedRelay.Mode = RelayMode.Up;
    }

    public async ValueTask DisposeAsync()
    {
        await Peers.DisposeAsync().ConfigureAwait(false);
        if (cluster is not null)
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}
