namespace ProxySql.Demo;

/// <summary>One ProxySQL node as the demo sees it: the balancer's peer, what plays the node, and counters.</summary>
internal sealed class Node(ProxySqlPeer peer, INodeHost host)
{
    private long _queries;
    private long _cut;
    private long _backendFailures;
    private long _otherErrors;
    private long _stalled;
    private long _failedAttempts;
    private int _faults;

    public ProxySqlPeer Peer { get; } = peer;

    public INodeHost Host { get; } = host;

    /// <summary>The peer's name, and its configuration key when that differs.</summary>
    public string Label { get; } = peer.ConfigurationKey == peer.Name ? peer.Name : $"{peer.Name} ({peer.ConfigurationKey})";

    /// <summary>Statements completed on this node.</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>Statements that failed because the node was killed under them.</summary>
    public long Cut => Interlocked.Read(ref _cut);

    /// <summary>Statements that failed because the node's MySQL servers were gone (ProxySQL error 9001).</summary>
    public long BackendFailures => Interlocked.Read(ref _backendFailures);

    /// <summary>Statements that failed for any other reason (none expected).</summary>
    public long OtherErrors => Interlocked.Read(ref _otherErrors);

    /// <summary>Statements that took a second or more (held up by a blackhole or by the lost backends).</summary>
    public long Stalled => Interlocked.Read(ref _stalled);

    /// <summary>Open attempts on this node that failed and were absorbed by failover (from the library's metrics).</summary>
    public long FailedAttempts => Interlocked.Read(ref _failedAttempts);

    /// <summary>
    /// Counts the faults that break statements (kills, lost backends); a statement that saw it change, or that ran
    /// while such a fault was on, failed because of the fault.
    /// </summary>
    public int Faults => Volatile.Read(ref _faults);

    /// <summary>Whether a fault that breaks statements is on now.</summary>
    public bool FaultOn => Host.Status.Condition is NodeCondition.Killed or NodeCondition.NoBackends or NodeCondition.Stopped;

    /// <summary>Records a kill or a loss of backends, before it happens.</summary>
    public void FaultStarting() => Interlocked.Increment(ref _faults);

    public void CountQuery(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _queries);
        if (elapsed >= TimeSpan.FromSeconds(1))
            Interlocked.Increment(ref _stalled);
    }

    /// <summary>The last statement error that no fault explains, for the summary.</summary>
    public string? LastOtherError { get; private set; }

    /// <summary>Counts a failed statement: <paramref name="byFault"/> when a kill or a loss of backends explains it.</summary>
    public void CountFailure(bool byFault, Exception error)
    {
        if (byFault && error is MySqlConnector.MySqlException { Number: 9001 })
        {
            Interlocked.Increment(ref _backendFailures);
            return;
        }

        if (byFault)
        {
            Interlocked.Increment(ref _cut);
            return;
        }

        Interlocked.Increment(ref _otherErrors);
        LastOtherError = $"{error.GetType().Name}: {error.Message}";
    }

    public void CountFailedAttempt() => Interlocked.Increment(ref _failedAttempts);
}
