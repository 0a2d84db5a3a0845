using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>Generated source and diagnostics against the checked-in baselines under Baselines/.</summary>
public sealed class BaselineTests
{
    [Theory]
    [InlineData("TwoPeers")]
    [InlineData("ManyPeers")]
    [InlineData("ExplicitKeys")]
    [InlineData("CompileTimeDefaults")]
    [InlineData("GlobalNamespace")]
    [InlineData("NestedPartial")]
    [InlineData("WithAppSettings")]
    public void Generated_source_matches_baseline_and_compiles_without_warnings(string caseName)
    {
        var outcome = Baseline.Verify(caseName);

        Assert.Single(outcome.Sources);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.True(outcome.GeneratedCodeDiagnostics.IsEmpty, GeneratorOutcome.Render(outcome.GeneratedCodeDiagnostics));
        var errors = outcome.CompilationDiagnostics.Where(d => d.Id != "CS1591").ToList();
        Assert.True(errors.Count == 0, GeneratorOutcome.Render(errors));
    }

    [Fact]
    public void Settings_mistakes_are_reported_in_the_json_files_and_the_code_is_still_generated()
    {
        var outcome = Baseline.Verify("AppSettingsMistakes");

        Assert.Single(outcome.Sources);
        Assert.True(outcome.GeneratedCodeDiagnostics.IsEmpty, GeneratorOutcome.Render(outcome.GeneratedCodeDiagnostics));
        Assert.All(outcome.GeneratorDiagnostics, d => Assert.EndsWith(".json", d.Location.GetLineSpan().Path, StringComparison.Ordinal));
    }

    [Fact]
    public void Output_is_deterministic()
    {
        var first = Baseline.Verify("WithAppSettings").Sources.Single().SourceText.ToString();
        var second = Baseline.Verify("WithAppSettings").Sources.Single().SourceText.ToString();

        Assert.Equal(first, second);
    }
}
