using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql018ReservedMemberNameTests
{
    [Fact]
    public void Own_Create_from_configuration_is_reported_on_its_name()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            using Microsoft.Extensions.Configuration;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
                public static AppDatabases Create(IConfiguration configuration) => null!;
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL018",
            "Input.cs",
            "Create",
            "'AppDatabases' declares 'Create', which the generator also declares; rename it (a peer keeps its configuration key with [Peer(\"Create\")])");
    }

    [Fact]
    public void Peer_named_like_a_generated_member_is_reported_on_its_name()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer PeerNames { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL018",
            "Input.cs",
            "PeerNames",
            "'AppDatabases' declares 'PeerNames', which the generator also declares; rename it (a peer keeps its configuration key with [Peer(\"PeerNames\")])");
    }

    [Fact]
    public void Create_overload_from_other_arguments_is_allowed()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
                public static int Create(string name) => name.Length;
            }
            """);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Single(outcome.Sources);
    }
}
