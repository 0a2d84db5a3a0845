namespace ProxySql.Testing;

/// <summary>One open → work → close of a <see cref="Workload"/> worker, as its work delegate sees it.</summary>
/// <param name="Worker">The worker (0 ≤ worker &lt; the number started).</param>
/// <param name="Sequence">The worker's operation count so far: with <paramref name="Worker"/>, unique in one run.</param>
/// <param name="Peer">The index of the peer that served the connection.</param>
public readonly record struct WorkloadOperation(int Worker, long Sequence, int Peer);
