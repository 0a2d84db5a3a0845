using MySqlConnector;

namespace ProxySql.Core;

/// <summary>
/// One open on one peer. It is settled exactly once — by finishing, by reaching its deadline, or by being abandoned
/// when another peer won — so a timed-out attempt that later fails is not counted or marked down a second time.
/// </summary>
internal sealed class Attempt
{
    private int _settled;

    public Attempt(ProxySqlPeer peer, MySqlConnection connection, Task open, long started, long deadline, int epoch)
    {
        Peer = peer;
        Connection = connection;
        Open = open;
        Started = started;
        Deadline = deadline;
        Epoch = epoch;
    }

    public ProxySqlPeer Peer { get; }

    public MySqlConnection Connection { get; }

    /// <summary>The driver's open; faulted with the driver's error when it failed.</summary>
    public Task Open { get; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) when it started.</summary>
    public long Started { get; }

    /// <summary>Timestamp of its connect timeout.</summary>
    public long Deadline { get; }

    /// <summary>The peer's health epoch when it started.</summary>
    public int Epoch { get; }

    /// <summary>Whether this caller is the one that settles it; every later caller gets <see langword="false"/>.</summary>
    public bool TrySettle() => Interlocked.Exchange(ref _settled, 1) == 0;
}
