using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql011InvalidConfigurationKeyTests
{
    [Fact]
    public void Empty_section_name_is_reported_on_the_argument()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases(" ")]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL011",
            "Input.cs",
            "\" \"",
            "Section name \" \" is not a valid configuration key; use a non-empty section name such as \"ProxySql\"");
    }

    [Fact]
    public void Peer_key_with_a_colon_is_reported_on_the_argument()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                [Peer("edge:1")] public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL011",
            "Input.cs",
            "\"edge:1\"",
            "Peer key \"edge:1\" is not a valid configuration key; a peer key cannot contain ':' (it separates configuration sections)");
    }
}
