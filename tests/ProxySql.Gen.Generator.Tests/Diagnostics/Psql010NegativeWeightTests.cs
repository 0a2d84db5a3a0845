using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql010NegativeWeightTests
{
    [Fact]
    public void Negative_weight_is_reported_on_the_argument()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                [Peer(Weight = -2)] public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL010",
            "Input.cs",
            "-2",
            "Weight -2 of peer 'Edge1' is negative; use 0 or more (0 keeps the peer out of weighted selection)");
    }
}
