using Microsoft.CodeAnalysis;
using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>Valid declarations in less common shapes generate code that compiles cleanly.</summary>
public sealed class DeclarationShapeTests
{
    [Fact]
    public void Class_in_a_nullable_disabled_context_compiles_without_warnings()
    {
        var outcome = GeneratorHarness.Run("""
            #nullable disable
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        AssertClean(outcome);
    }

    [Fact]
    public void Peers_declared_across_partial_files_are_reported_and_generated_in_file_path_order()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            """
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """,
            """
            using ProxySql;
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge2 { get; }
            }
            """);

        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);

        Assert.Equal("PSQL020", Assert.Single(diagnostics).Id);
        var source = driver.GetRunResult().GeneratedTrees.Single().ToString();
        Assert.True(source.IndexOf("Name = \"Edge1\"", StringComparison.Ordinal) < source.IndexOf("Name = \"Edge2\"", StringComparison.Ordinal), source);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591"));
    }

    [Fact]
    public void Peer_declared_in_a_file_with_syntax_errors_elsewhere_is_still_generated()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            """
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """,
            "class Broken { void M( }");

        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        Assert.Single(driver.GetRunResult().GeneratedTrees);
    }

    [Fact]
    public void Peers_with_every_modifier_a_peer_may_carry_compile_cleanly_also_unsafe_where_unsafe_code_is_allowed()
    {
        const string Source = """
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                internal partial ProxySqlPeer Edge1 { get; }
                protected internal virtual partial ProxySqlPeer Edge2 { get; }
                private protected partial ProxySqlPeer Edge3 { get; }
                public new partial ProxySqlPeer Edge4 { get; }
                public unsafe partial ProxySqlPeer Edge5 { get; }
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(Source);
        compilation = compilation.WithOptions(compilation.Options.WithAllowUnsafe(true));
        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var outcome = new GeneratorOutcome(driver.GetRunResult(), output, diagnostics, new Dictionary<string, string> { [GeneratorHarness.SourcePath] = Source });

        // 'new' hides nothing here: the compiler's warning on the user's own declaration, not on generated code
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Single(outcome.Sources);
        var problems = outcome.CompilationDiagnostics.Where(d => d.Id is not ("CS1591" or "CS0109")).ToList();
        Assert.True(problems.Count == 0, GeneratorOutcome.Render(problems));
        Assert.Contains(outcome.Sources[0].SourceText.ToString().Split('\n'), line => line.Contains("unsafe partial global::ProxySql.ProxySqlPeer Edge5", StringComparison.Ordinal) || line.Contains("unsafe partial ProxySqlPeer Edge5", StringComparison.Ordinal));
    }

    private static void AssertClean(GeneratorOutcome outcome)
    {
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Single(outcome.Sources);
        var problems = outcome.CompilationDiagnostics.Where(d => d.Id != "CS1591").ToList();
        Assert.True(problems.Count == 0, GeneratorOutcome.Render(problems));
    }
}
