namespace ProxySql.Testing;

/// <summary>
/// One stand-in for a ProxySQL node behind one peer: a real <see cref="ProxySqlNode"/> (optionally behind a relay, for a
/// blackhole) or a <see cref="FaultRelay"/> alone. The verbs do what an operator or a crash does to each.
/// </summary>
/// <param name="key">The peer's configuration key (e.g. <c>Node2</c>).</param>
/// <param name="node">The real node, or <see langword="null"/> on the relay rig.</param>
/// <param name="relay">The relay the peer connects to, or <see langword="null"/> when it connects to the node directly.</param>
public sealed class FleetNode(string key, ProxySqlNode? node, FaultRelay? relay)
{
    /// <summary>The peer's configuration key.</summary>
    public string Key { get; } = key;

    /// <summary>The real node, or <see langword="null"/> on the relay rig.</summary>
    public ProxySqlNode? Node { get; } = node;

    /// <summary>The relay the peer connects to, or <see langword="null"/> when it connects to the node directly.</summary>
    public FaultRelay? Relay { get; } = relay;

    /// <summary>The port the peer's connection string names.</summary>
    public int Port => Relay?.Port ?? Node!.Port;

    /// <summary>ProxySQL: <c>PROXYSQL PAUSE</c> (returns when the listener is closed). Relay: Paused.</summary>
    /// <returns>A task that completes when new connects are refused.</returns>
    public Task PauseAsync() => Node is not null ? Node.PauseAsync() : SetRelay(RelayMode.Paused);

    /// <summary>ProxySQL: <c>PROXYSQL RESUME</c>. Relay: Up.</summary>
    /// <returns>A task that completes when new connects are accepted.</returns>
    public Task ResumeAsync() => Node is not null ? Node.ResumeAsync() : SetRelay(RelayMode.Up);

    /// <summary>ProxySQL: SIGKILL. Relay: Killed (every session reset).</summary>
    /// <returns>A task that completes when the node is gone.</returns>
    public Task KillAsync() => Node is not null ? Node.KillAsync() : SetRelay(RelayMode.Killed);

    /// <summary>ProxySQL: start the same config and datadir again. Relay: Up.</summary>
    /// <returns>A task that completes when the node serves.</returns>
    public Task RestartAsync() => Node is not null ? Node.StartAsync() : SetRelay(RelayMode.Up);

    /// <summary>The relay (in front of the node, or alone) accepts but forwards nothing.</summary>
    /// <returns>A completed task.</returns>
    public Task BlackholeAsync() => SetRelay(RelayMode.Blackholed);

    /// <summary>The relay forwards again.</summary>
    /// <returns>A completed task.</returns>
    public Task UnblackholeAsync() => SetRelay(RelayMode.Up);

    /// <summary>ProxySQL: <c>Client_Connections_connected</c>. Relay: its open sessions.</summary>
    /// <returns>The count of client sessions the node holds.</returns>
    public async Task<long> ClientConnectionsAsync() => Node is not null ? await Node.ClientConnectionsAsync().ConfigureAwait(false) : Relay!.OpenSessions;

    /// <summary>The real node, for a scenario that only real ProxySQL can play.</summary>
    /// <param name="scenario">The scenario, for the message.</param>
    /// <returns>The node.</returns>
    /// <exception cref="InvalidOperationException">This is a relay.</exception>
    public ProxySqlNode RequireNode(string scenario) =>
        Node ?? throw new InvalidOperationException($"{scenario} needs a real ProxySQL node; {Key} is a relay");

    /// <inheritdoc/>
    public override string ToString() => Node is not null ? $"{Key} {Node}{(Relay is null ? string.Empty : " via " + Relay)}" : $"{Key} {Relay}";

    private Task SetRelay(RelayMode mode)
    {
        if (Relay is null)
        {
            throw new InvalidOperationException($"{Key} has no relay in front of it: put one in front of the node for this fault");
        }

        Relay.Mode = mode;
        return Task.CompletedTask;
    }
}
