namespace ProxySql.Testing;

/// <summary>
/// One caller error recorded by a <see cref="Workload"/>.
/// </summary>
/// <param name="Peer">The peer of the handed-out connection, or -1 for a failed open.</param>
/// <param name="Started">When the open began (Stopwatch timestamp), also for a statement failure.</param>
/// <param name="Ended">When the error reached the caller (Stopwatch timestamp).</param>
/// <param name="Error">What the caller got.</param>
/// <param name="Peers">The peers' state when it ended, as the workload's describer put it.</param>
/// <param name="Worker">The worker it happened to.</param>
/// <param name="Sequence">The worker's operation it happened in (see <see cref="WorkloadOperation.Sequence"/>).</param>
public sealed record WorkloadFailure(int Peer, long Started, long Ended, Exception Error, string Peers, int Worker = -1, long Sequence = -1);
