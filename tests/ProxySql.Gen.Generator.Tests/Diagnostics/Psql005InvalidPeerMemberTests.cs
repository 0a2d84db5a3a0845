using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql005InvalidPeerMemberTests
{
    [Theory]
    [InlineData("public ProxySqlPeer Edge1 { get; }", "is not partial")]
    [InlineData("public static partial ProxySqlPeer Edge1 { get; }", "is static")]
    [InlineData("public partial ProxySqlPeer Edge1 { get; set; }", "has a setter")]
    [InlineData("public partial ProxySqlPeer Edge1 { get; init; }", "has an init accessor")]
    [InlineData("[Peer] public partial string Edge1 { get; }", "is of type 'string', not ProxySqlPeer")]
    public void Peer_that_is_not_a_partial_get_only_instance_ProxySqlPeer_is_reported_on_its_name(string declaration, string problem)
    {
        var outcome = GeneratorHarness.Run($$"""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                {{declaration}}
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL005",
            "Input.cs",
            "Edge1",
            $"Peer 'Edge1' {problem}; declare it as 'public partial ProxySqlPeer Edge1 {{ get; }}'");
    }
}
