using System.Diagnostics;

namespace ProxySql.Testing;

/// <summary>A <see cref="Workload"/>'s counters at one instant; subtract two for one window.</summary>
/// <param name="At">When (Stopwatch timestamp).</param>
/// <param name="OpensByPeer">Successful opens by peer index.</param>
/// <param name="Statements">Successful statements.</param>
/// <param name="OpenFailures">Failed opens.</param>
/// <param name="StatementFailures">Failed statements.</param>
public sealed record WorkloadSnapshot(long At, IReadOnlyList<long> OpensByPeer, long Statements, int OpenFailures, int StatementFailures)
{
    /// <summary>Successful opens over every peer.</summary>
    public long Opens => OpensByPeer.Sum();

    /// <summary>The counts of the window from <paramref name="earlier"/> to this snapshot.</summary>
    /// <param name="earlier">The window's start.</param>
    /// <returns>The window's figures.</returns>
    public WorkloadSnapshot Since(WorkloadSnapshot earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        return new WorkloadSnapshot(
            At - earlier.At,
            [.. OpensByPeer.Select((n, i) => n - earlier.OpensByPeer[i])],
            Statements - earlier.Statements,
            OpenFailures - earlier.OpenFailures,
            StatementFailures - earlier.StatementFailures);
    }

    /// <summary>The share of opens that went to <paramref name="peer"/> (0 when there were none).</summary>
    /// <param name="peer">The peer index.</param>
    /// <returns>A fraction between 0 and 1.</returns>
    public double ShareOf(int peer) => Opens == 0 ? 0 : (double)OpensByPeer[peer] / Opens;

    /// <summary>Statements per second over a window made by <see cref="Since"/>.</summary>
    public double StatementsPerSecond => At <= 0 ? 0 : Statements / (At / (double)Stopwatch.Frequency);
}
