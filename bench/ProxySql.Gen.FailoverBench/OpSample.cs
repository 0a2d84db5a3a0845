namespace ProxySql.FailoverBench;

/// <summary>What a caller saw in one open → SELECT → close.</summary>
internal enum Outcome : byte
{
    Ok,
    OpenError,
    StatementError,
}

/// <summary>One operation; times are <see cref="System.Diagnostics.Stopwatch"/> ticks, <see cref="Start"/> relative to the measured window's start.</summary>
internal readonly record struct OpSample(long Start, long OpenTicks, long TotalTicks, Outcome Outcome);

/// <summary>
/// The relays' counters at one moment (ticks relative to the measured window's start): bytes forwarded, sessions open
/// and sessions accepted so far per peer, and the balancer's own peer states when it has them (ours).
/// </summary>
internal sealed record RelaySample(long At, long[] Bytes, int[] OpenSessions, long[] Sessions, ProxySqlPeerState[]? States);
