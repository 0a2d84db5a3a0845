using System.Globalization;
using System.Net;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>A <see cref="FaultRelay"/> standing in for a ProxySQL node: pause, kill and blackhole are relay modes.</summary>
internal sealed class RelayNodeHost(FaultRelay relay) : INodeHost
{
    private volatile bool _stopped;

    public IPEndPoint EndPoint => relay.EndPoint;

    public string Describe => string.Create(CultureInfo.InvariantCulture, $"relay :{relay.Port} -> mariadbd :{relay.Target.Port}");

    public NodeStatus Status => new(
        relay.Mode switch
        {
            RelayMode.Up => NodeCondition.Up,
            RelayMode.Paused => NodeCondition.Paused,
            RelayMode.Blackholed => NodeCondition.Blackholed,
            _ => _stopped ? NodeCondition.Stopped : NodeCondition.Killed,
        },
        relay.OpenSessions,
        relay.Mode == RelayMode.Paused);

    public bool CanBlackhole => true;

    public bool CanDropBackends => false;

    public Task<string> PauseAsync(CancellationToken cancellationToken)
    {
        relay.Mode = RelayMode.Paused;
        return Task.FromResult("listener closed");
    }

    public Task<string> ResumeAsync(CancellationToken cancellationToken)
    {
        relay.Mode = RelayMode.Up;
        return Task.FromResult("listening");
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        relay.Mode = RelayMode.Killed;
        return Task.CompletedTask;
    }

    public Task KillAsync(CancellationToken cancellationToken)
    {
        _stopped = false;
        relay.Mode = RelayMode.Killed;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopped = false;
        relay.Mode = RelayMode.Up;
        return Task.CompletedTask;
    }

    public Task SetBlackholedAsync(bool blackholed, CancellationToken cancellationToken)
    {
        relay.Mode = blackholed ? RelayMode.Blackholed : RelayMode.Up;
        return Task.CompletedTask;
    }

    public Task SetBackendsOnlineAsync(bool online, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A relay has no MySQL servers of its own to take away; only a real ProxySQL node does.");

    public Task<NodeStatus> ReadStatusAsync(CancellationToken cancellationToken) => Task.FromResult(Status);

    public Task SetVariableAsync(string name, string value, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A relay has no ProxySQL variables.");

    public ValueTask DisposeAsync() => relay.DisposeAsync();
}
