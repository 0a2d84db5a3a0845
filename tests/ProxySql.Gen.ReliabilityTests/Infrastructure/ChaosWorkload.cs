using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// The shared <see cref="Workload"/> (tests/ProxySql.Gen.Testing) over a <see cref="ChaosDatabases"/>:
/// open → <c>SELECT CONNECTION_ID()</c> → close, each failure kept with when it ran so the test can judge it against
/// the relays' <see cref="ModeTimeline"/>s.
/// </summary>
internal static class ChaosWorkload
{
    /// <summary>Far above anything the settings allow (connect timeout 3 s, command timeout 10 s + the driver's cancellation): only a hang reaches it.</summary>
    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(30);

    public static Workload Create(ChaosDatabases databases, RelayCluster cluster) => Create(databases, () => cluster.Describe(databases));

    public static Workload Create(ChaosDatabases databases, Func<string> describe) =>
        Workload.For(databases, describe, new WorkloadOptions { Statement = "SELECT CONNECTION_ID()", Watchdog = Watchdog });
}
