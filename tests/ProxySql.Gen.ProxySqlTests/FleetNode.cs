using ProxySql.Testing;

namespace ProxySql.ProxySqlTests;

/// <summary>
/// One stand-in for a ProxySQL node behind one peer: a real <see cref="ProxySqlNode"/> (optionally behind a relay, for a
/// blackhole) or a <see cref="FaultRelay"/> alone. The verbs do what an operator or a crash does to each.
/// </summary>
internal sealed class FleetNode(string key, ProxySqlNode? node, FaultRelay? relay)
{
    public string Key { get; } = key;

    /// <summary>The real node, or <see langword="null"/> on the relay rig.</summary>
    public ProxySqlNode? Node { get; } = node;

    /// <summary>The relay the peer connects to, or <see langword="null"/> when it connects to the node directly.</summary>
    public FaultRelay? Relay { get; } = relay;

    /// <summary>The port the peer's connection string names.</summary>
    public int Port => Relay?.Port ?? Node!.Port;

    /// <summary>ProxySQL: <c>PROXYSQL PAUSE</c> (returns when the listener is closed). Relay: Paused.</summary>
    public Task PauseAsync() => Node is not null ? Node.PauseAsync() : SetRelay(RelayMode.Paused);

    public Task ResumeAsync() => Node is not null ? Node.ResumeAsync() : SetRelay(RelayMode.Up);

    /// <summary>ProxySQL: SIGKILL. Relay: Killed (every session reset).</summary>
    public Task KillAsync() => Node is not null ? Node.KillAsync() : SetRelay(RelayMode.Killed);

    /// <summary>ProxySQL: start the same config and datadir again. Relay: Up.</summary>
    public Task RestartAsync() => Node is not null ? Node.StartAsync() : SetRelay(RelayMode.Up);

    public Task BlackholeAsync() => SetRelay(RelayMode.Blackholed);

    public Task UnblackholeAsync() => SetRelay(RelayMode.Up);

    /// <summary>ProxySQL: <c>Client_Connections_connected</c>. Relay: its open sessions.</summary>
    public async Task<long> ClientConnectionsAsync() => Node is not null ? await Node.ClientConnectionsAsync() : Relay!.OpenSessions;

    public ProxySqlNode RequireNode(string scenario) =>
        Node ?? throw new InvalidOperationException($"{scenario} needs a real ProxySQL node; {Key} is a relay");

    public override string ToString() => Node is not null ? $"{Key} {Node}{(Relay is null ? string.Empty : " via " + Relay)}" : $"{Key} {Relay}";

    private Task SetRelay(RelayMode mode)
    {
        if (Relay is null)
            throw new InvalidOperationException($"{Key} has no relay in front of it: build the fleet with RelayInFrontOf");
        Relay.Mode = mode;
        return Task.CompletedTask;
    }
}
