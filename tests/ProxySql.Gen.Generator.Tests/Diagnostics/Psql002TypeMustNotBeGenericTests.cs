using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql002TypeMustNotBeGenericTests
{
    [Fact]
    public void Generic_class_is_reported_on_its_name()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases<T>
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL002",
            "Input.cs",
            "AppDatabases",
            "'AppDatabases' is generic or nested in a generic type; remove the type parameters or move the class out of the generic type");
    }
}
