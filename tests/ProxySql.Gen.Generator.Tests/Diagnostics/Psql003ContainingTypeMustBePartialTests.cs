using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql003ContainingTypeMustBePartialTests
{
    [Fact]
    public void Class_nested_in_a_non_partial_type_is_reported_on_its_name()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            public static class Outer
            {
                [ProxySqlDatabases]
                public partial class AppDatabases
                {
                    public partial ProxySqlPeer Edge1 { get; }
                }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL003",
            "Input.cs",
            "AppDatabases",
            "'AppDatabases' is nested in 'Outer', which is not partial; declare 'Outer' as partial or move 'AppDatabases' out of it");
    }
}
