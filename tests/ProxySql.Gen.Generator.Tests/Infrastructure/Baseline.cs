namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot baselines checked in under <c>Baselines/&lt;case&gt;/</c>: <c>input.cs</c> and any
/// <c>appsettings*.json</c> in, the generated <c>*.g.cs</c> files and <c>diagnostics.txt</c> out.
/// Set <c>PROXYSQL_UPDATE_BASELINES=1</c> to rewrite them; <c>git diff</c> is then the review.
/// </summary>
internal static class Baseline
{
    private static bool Update => Environment.GetEnvironmentVariable("PROXYSQL_UPDATE_BASELINES") == "1";

    /// <summary>The checked-in Baselines folder, found from the test binaries (CI maps [CallerFilePath] away).</summary>
    public static string Directory()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ProxySql.Gen.sln")))
            {
                return Path.Combine(folder.FullName, "tests", "ProxySql.Gen.Generator.Tests", "Baselines");
            }
        }

        throw new InvalidOperationException($"no ProxySql.Gen.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The generator's version as [GeneratedCode] carries it, checked by its own test; baselines hold a placeholder so a version bump does not rewrite them.</summary>
    public const string VersionPlaceholder = "$(GeneratorVersion)";

    public static string WithoutVersion(string generated) =>
        generated.Replace($"\"ProxySql.Gen.Generator\", \"{ProxySql.Generator.Emitter.GeneratorVersion.Value}\")", $"\"ProxySql.Gen.Generator\", \"{VersionPlaceholder}\")", StringComparison.Ordinal);

    public static GeneratorOutcome Verify(string caseName)
    {
        var folder = Path.Combine(Directory(), caseName);
        var source = File.ReadAllText(Path.Combine(folder, "input.cs")).ReplaceLineEndings("\n");
        var settings = System.IO.Directory.GetFiles(folder, "appsettings*.json")
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetFileName(p), File.ReadAllText(p).ReplaceLineEndings("\n")))
            .ToArray();
        var outcome = GeneratorHarness.Run(source, settings);
        Assert.Null(outcome.Exception);

        var actual = outcome.Sources.ToDictionary(s => s.HintName, s => WithoutVersion(s.SourceText.ToString()), StringComparer.Ordinal);
        actual["diagnostics.txt"] = GeneratorOutcome.Render(outcome.GeneratorDiagnostics) + "\n";

        var expectedFiles = System.IO.Directory.GetFiles(folder, "*.g.cs").Select(Path.GetFileName).Append("diagnostics.txt").ToHashSet(StringComparer.Ordinal);
        if (Update)
        {
            foreach (var stale in expectedFiles.Where(f => !actual.ContainsKey(f!)))
            {
                File.Delete(Path.Combine(folder, stale!));
            }

            foreach (var (name, text) in actual)
            {
                File.WriteAllText(Path.Combine(folder, name), text);
            }

            return outcome;
        }

        Assert.Equal(expectedFiles.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, text) in actual)
        {
            var expected = File.ReadAllText(Path.Combine(folder, name)).ReplaceLineEndings("\n");
            Assert.True(
                expected == text,
                $"{caseName}/{name} differs from the baseline; run with PROXYSQL_UPDATE_BASELINES=1 and review git diff.\n--- actual ---\n{text}");
        }

        return outcome;
    }
}
