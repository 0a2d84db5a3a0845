using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>C# diagnostics are located on the compilation's own syntax trees, so #pragma applies to them.</summary>
public sealed class PragmaTests
{
    [Fact]
    public void Pragma_warning_disable_suppresses_a_class_diagnostic()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            #pragma warning disable PSQL006 // reason: an intentionally empty example
            public partial class AppDatabases
            #pragma warning restore PSQL006
            {
            }
            """);

        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "PSQL006" && !d.IsSuppressed);
    }

    [Fact]
    public void Class_diagnostic_location_is_in_the_syntax_tree()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
            }
            """);

        var diagnostic = outcome.Single("PSQL006");
        Assert.True(diagnostic.Location.IsInSource);
        Assert.Same(outcome.Output.SyntaxTrees.First(), diagnostic.Location.SourceTree);
    }
}
