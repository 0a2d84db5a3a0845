using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql001TypeMustBePartialClassTests
{
    [Fact]
    public void Class_without_partial_is_reported_on_its_name()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL001",
            "Input.cs",
            "AppDatabases",
            "'AppDatabases' is not partial; declare it as a non-static, non-abstract 'partial class' to use [ProxySqlDatabases]");
    }

    [Fact]
    public void Abstract_class_is_reported()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public abstract partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL001",
            "Input.cs",
            "AppDatabases",
            "'AppDatabases' is abstract; declare it as a non-static, non-abstract 'partial class' to use [ProxySqlDatabases]");
    }
}
