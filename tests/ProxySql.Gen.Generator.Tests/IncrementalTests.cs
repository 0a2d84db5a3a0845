using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>The pipeline caches: edits that do not concern a databases class re-run nothing.</summary>
public sealed class IncrementalTests
{
    private const string Source = """
        using ProxySql;
        namespace Shop;
        [ProxySqlDatabases("ProxySql", CheckInterval = "00:00:10")]
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Edge1 { get; }
            public partial ProxySqlPeer Edge2 { get; }
        }
        """;

    private const string Json = """
        { "ProxySql": { "Peers": { "Edge1": { "ConnectionString": "Server=a" }, "Edge2": { "ConnectionString": "Server=b" } } } }
        """;

    private static readonly string[] s_trackedSteps =
    [
        TrackingNames.Parse,
        TrackingNames.Model,
        TrackingNames.SourceDiagnostics,
        TrackingNames.SettingsFiles,
        TrackingNames.SettingsDiagnostics,
        TrackingNames.SettingsParseErrors,
    ];

    [Fact]
    public void Unrelated_edit_leaves_every_tracked_step_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun(Source, "class Unrelated { int X => 1; }");

        var edited = Replace(compilation, 1, "class Unrelated { int X => 2; } class Added { }");
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var name in s_trackedSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} did not run");
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} was {reason}");
                }
            }
        }
    }

    [Fact]
    public void Moving_the_class_down_its_file_does_not_change_the_model()
    {
        var (driver, compilation) = FirstRun(Source);

        var result = driver.RunGenerators(Replace(compilation, 0, "// a comment that moves everything down\n\n" + Source)).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"model was {o.Reason}"));
    }

    [Fact]
    public void Renaming_a_peer_runs_the_pipeline_again_and_changes_the_output()
    {
        var (driver, compilation) = FirstRun(Source);
        var before = driver.GetRunResult().GeneratedTrees.Single().ToString();

        driver = driver.RunGenerators(Replace(compilation, 0, Source.Replace("Edge2", "Edge9", StringComparison.Ordinal)));
        var result = driver.GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedSteps[TrackingNames.SettingsDiagnostics].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var after = result.GeneratedSources.Single().SourceText.ToString();
        Assert.NotEqual(before, after);
        Assert.Contains("Edge9", after, StringComparison.Ordinal);
        Assert.Contains(result.Diagnostics, d => d.Id == "PSQL012");
    }

    [Fact]
    public void Editing_appsettings_rechecks_the_settings_but_keeps_the_model()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var settings = new InMemoryAdditionalText("/src/appsettings.json", Json);
        var driver = GeneratorHarness.CreateDriver(settings).RunGenerators(compilation);

        driver = driver.ReplaceAdditionalText(settings, new InMemoryAdditionalText("/src/appsettings.json", Json.Replace("Edge2", "Edge3", StringComparison.Ordinal)));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Contains(result.TrackedSteps[TrackingNames.SettingsFiles].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.Diagnostics, d => d.Id == "PSQL012");
    }

    [Fact]
    public void Tracked_step_outputs_hold_no_compilation_symbol_syntax_or_location()
    {
        var (driver, _) = FirstRun(Source);

        foreach (var name in s_trackedSteps)
        {
            foreach (var step in driver.GetRunResult().Results.Single().TrackedSteps[name])
            {
                foreach (var (value, _) in step.Outputs)
                {
                    RoslynFreeAssert.HoldsNoRoslynObject(value, name);
                }
            }
        }
    }

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun(params string[] sources)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        var driver = GeneratorHarness.CreateDriver(new InMemoryAdditionalText("/src/appsettings.json", Json)).RunGenerators(compilation);
        Assert.Single(driver.GetRunResult().GeneratedTrees);
        return (driver, compilation);
    }

    private static Compilation Replace(Compilation compilation, int index, string source)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, old.FilePath));
    }
}
