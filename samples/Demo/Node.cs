using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>One ProxySQL stand-in as the demo sees it: the balancer's peer, the relay playing the node, and counters.</summary>
internal sealed class Node(ProxySqlPeer peer, FaultRelay relay)
{
    private long _queries;
    private long _cut;
    private long _otherErrors;
    private long _stalled;
    private long _failedAttempts;
    private int _kills;

    public ProxySqlPeer Peer { get; } = peer;

    public FaultRelay Relay { get; } = relay;

    /// <summary>The peer's name, and its configuration key when that differs.</summary>
    public string Label { get; } = peer.ConfigurationKey == peer.Name ? peer.Name : $"{peer.Name} ({peer.ConfigurationKey})";

    /// <summary>Statements completed on this node.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>Statements that failed because the node was killed under them.</summary>
    public long Cut => Interlocked.Read(ref _cut);

    /// <summary>Statements that failed for any other reason (none expected).</summary>
    public long OtherErrors => Interlocked.Read(ref _otherErrors);

    /// <summary>Statements that took a second or more (held up by a blackhole).</summary>
    public long Stalled => Interlocked.Read(ref _stalled);

    /// <summary>Open attempts on this node that failed and were absorbed by failover (from the library's metrics).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>How many times the scenario killed this node; a statement that saw it change was cut by a kill.</summary>
    public int Kills => Volatile.Read(ref _kills);

    public void Kill()
    {
        Interlocked.Increment(ref _kills);
        Relay.Mode = RelayMode.Killed;
    }

    public void CountQuery(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _queries);
        if (elapsed >= TimeSpan.FromSeconds(1))
            Interlocked.Increment(ref _stalled);
    }

    /// <summary>The last statement error that was not a kill's, for the summary.</summary>
    public string? LastOtherError { get; private set; }

    public void CountFailure(bool cutByKill, Exception error)
    {
        if (cutByKill)
        {
            Interlocked.Increment(ref _cut);
            return;
        }

        Interlocked.Increment(ref _otherErrors);
        LastOtherError = $"{error.GetType().Name}: {error.Message}";
    }

    public void CountFailedAttempt() => Interlocked.Increment(ref _failedAttempts);
}
