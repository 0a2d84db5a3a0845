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

    /// <summary>Timestamp of its connect timeout; moved once at most, by <see cref="TryExtend"/>.</summary>
    public long Deadline { get; private set; }

    /// <summary>Whether its deadline was moved already.</summary>
    public bool Extended { get; private set; }

    /// <summary>The peer's health epoch when it started.</summary>
    public int Epoch { get; }

    /// <summary>
    /// Moves the deadline to <paramref name="deadline"/>, once; <see langword="false"/> when it was moved before. Only
    /// its one owner at a time (the open, the race or the background settle) calls it.
    /// </summary>
    public bool TryExtend(long deadline)
    {
        if (Extended)
            return false;
        Extended = true;
        Deadline = deadline;
        return true;
    }

    /// <summary>Whether this caller is the one that settles it; every later caller gets <see langword="false"/>.</summary>
    public bool TrySettle() => Interlocked.Exchange(ref _settled, 1) == 0;
}
