using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql017TooManyPeersTests
{
    [Fact]
    public void More_than_64_peers_is_reported_on_the_class_name()
    {
        var peers = string.Join("\n", Enumerable.Range(1, 65).Select(i => $"    public partial ProxySqlPeer Node{i} {{ get; }}"));
        var outcome = GeneratorHarness.Run($$"""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
            {{peers}}
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL017",
            "Input.cs",
            "AppDatabases",
            "'AppDatabases' declares 65 peers; the balancer supports at most 64, so remove some");
    }
}
