using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProxySql.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ProxySql.Generator.Tests;

/// <summary>
/// The generator on a project of 500 files plus the databases class. Prints the generator's own time
/// (Roslyn's timing info) for a first run and for re-runs after an edit; asserts only the output.
/// </summary>
public sealed class LargeProjectTests(ITestOutputHelper output)
{
    private const int FileCount = 500;

    [Fact]
    public void Generator_handles_a_500_file_project_and_reports_its_time()
    {
        var sources = Enumerable.Range(0, FileCount).Select(Entity).Prepend("""
            using ProxySql;
            namespace Big;
            [ProxySqlDatabases("ProxySql", CheckInterval = "00:00:10")]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
                public partial ProxySqlPeer Edge2 { get; }
            }
            """).ToArray();
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var settings = new InMemoryAdditionalText("/src/appsettings.json", """
            { "ProxySql": { "Peers": { "Edge1": { "ConnectionString": "Server=a" }, "Edge2": { "ConnectionString": "Server=b" } } } }
            """);
        var driver = GeneratorHarness.CreateDriver(settings);

        var wall = Stopwatch.StartNew();
        driver = driver.RunGenerators(compilation);
        var first = driver.GetTimingInfo().ElapsedTime;
        var firstWall = wall.Elapsed;
        Assert.Single(driver.GetRunResult().GeneratedTrees);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        var edits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var old = compilation.SyntaxTrees.ElementAt(1 + i);
            compilation = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(Entity(1000 + i), GeneratorHarness.ParseOptions, old.FilePath));
            driver = driver.RunGenerators(compilation);
            edits.Add(driver.GetTimingInfo().ElapsedTime);
        }

        Assert.Single(driver.GetRunResult().GeneratedTrees);

        // A new driver on a new compilation, with the generator's code already compiled: what a build pays without JIT.
        var fresh = GeneratorHarness.CreateDriver(settings).RunGenerators(GeneratorHarness.CreateCompilation(sources));
        var warmFirst = fresh.GetTimingInfo().ElapsedTime;
        Assert.Single(fresh.GetRunResult().GeneratedTrees);

        // The same once the compilation has bound its declarations (work the compiler does anyway): the generator's own cost.
        var primed = GeneratorHarness.CreateCompilation(sources);
        _ = primed.GetDeclarationDiagnostics();
        var own = GeneratorHarness.CreateDriver(settings).RunGenerators(primed);
        var ownFirst = own.GetTimingInfo().ElapsedTime;
        Assert.Single(own.GetRunResult().GeneratedTrees);

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{FileCount} files + databases class: first run {first.TotalMilliseconds:F1} ms (wall {firstWall.TotalMilliseconds:F1} ms, includes JIT); first run of a new driver once JIT-compiled {warmFirst.TotalMilliseconds:F1} ms; {ownFirst.TotalMilliseconds:F1} ms on a compilation whose declarations are already bound; after an edit: {string.Join(", ", edits.Select(e => e.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture)))} ms"));
    }

    private static string Entity(int i) => $$"""
        namespace Big.Domain;
        public sealed class Entity{{i}}
        {
        {{string.Join("\n", Enumerable.Range(0, 10).Select(j => $"    public int M{j}(int x) => x * {j} + {i};\n    public string S{j} {{ get; set; }} = \"v{j}\";"))}}
        }
        """;
}
