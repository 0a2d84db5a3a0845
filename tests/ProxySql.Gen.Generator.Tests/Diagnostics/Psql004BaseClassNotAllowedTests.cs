using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql004BaseClassNotAllowedTests
{
    [Fact]
    public void Another_base_class_is_reported_on_the_base_type()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            public class DatabasesBase { }
            [ProxySqlDatabases]
            public partial class AppDatabases : DatabasesBase, System.IDisposable
            {
                public partial ProxySqlPeer Edge1 { get; }
                public void Dispose() { }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL004",
            "Input.cs",
            "DatabasesBase",
            "'AppDatabases' derives from 'DatabasesBase', but a [ProxySqlDatabases] class derives from ProxySqlDatabases; remove the base class",
            after: "AppDatabases :");
    }

    [Fact]
    public void Declaring_ProxySqlDatabases_as_the_base_is_allowed()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases : ProxySqlDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Empty(outcome.CompilationDiagnostics.Where(d => d.Id != "CS1591"));
    }
}
