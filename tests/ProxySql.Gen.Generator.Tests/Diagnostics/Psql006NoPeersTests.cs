using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql006NoPeersTests
{
    [Fact]
    public void Class_without_peers_is_reported_on_its_name()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public ProxySqlPeer? Computed => null;
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL006",
            "Input.cs",
            "AppDatabases",
            "'AppDatabases' declares no peers; add at least one 'public partial ProxySqlPeer Name { get; }' property");
    }
}
