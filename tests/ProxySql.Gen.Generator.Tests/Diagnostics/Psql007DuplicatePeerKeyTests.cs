using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql007DuplicatePeerKeyTests
{
    [Fact]
    public void Keys_that_differ_only_in_case_are_reported_on_the_second_key()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
                [Peer("EDGE1")] public partial ProxySqlPeer Backup { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL007",
            "Input.cs",
            "\"EDGE1\"",
            "Peers 'Edge1' and 'Backup' both use the configuration key 'EDGE1' (keys are case-insensitive); rename one of them or give it [Peer(\"another-key\")]");
    }
}
