namespace ProxySql.Testing;

/// <summary>
/// One finished open → work → close of a <see cref="Workload"/> worker, as <see cref="WorkloadOptions.OnCompleted"/>
/// sees it: when each stage ended (Stopwatch timestamps), which peer served it and what failed.
/// </summary>
/// <param name="Worker">The worker (0 ≤ worker &lt; the number started).</param>
/// <param name="Sequence">The worker's operation count so far (see <see cref="WorkloadOperation.Sequence"/>).</param>
/// <param name="Peer">The index of the peer that served the connection, or -1 for a failed open.</param>
/// <param name="Started">When the open began.</param>
/// <param name="Opened">When the open returned or threw.</param>
/// <param name="Ended">When the connection was closed again (for a failed open: <paramref name="Opened"/>).</param>
/// <param name="Error">What the caller got, or <see langword="null"/> when the operation succeeded.</param>
public readonly record struct WorkloadCompletion(int Worker, long Sequence, int Peer, long Started, long Opened, long Ended, Exception? Error)
{
    /// <summary>Whether the open threw (no connection was handed out).</summary>
    public bool OpenFailed => Error is not null && Peer < 0;

    /// <summary>Whether the work on a handed-out connection, or its close, threw.</summary>
    public bool StatementFailed => Error is not null && Peer >= 0;
}
