namespace ProxySql.PackageTests;

/// <summary>The packed ProxySql.Gen package, restored from a folder feed into a fresh project.</summary>
public sealed class PackageConsumptionTests(PackedConsumer consumer) : IClassFixture<PackedConsumer>
{
    [Fact]
    public async Task Package_carries_the_runtime_the_generator_and_the_build_targets()
    {
        var package = Path.Combine(consumer.Root, "packages", "proxysql.gen", consumer.Version.ToLowerInvariant());

        Assert.True(File.Exists(Path.Combine(package, "lib", "net10.0", "ProxySql.Gen.dll")), consumer.RestoreOutput);
        Assert.True(File.Exists(Path.Combine(package, "analyzers", "dotnet", "cs", "ProxySql.Gen.Generator.dll")));
        Assert.True(File.Exists(Path.Combine(package, "build", "ProxySql.Gen.targets")));
        await Task.CompletedTask;
    }

    // One test: the builds share the consumer folder, so they run in sequence.
    [Fact]
    public async Task Consumer_builds_and_runs_with_typed_peers_and_a_typo_in_appsettings_is_a_compile_error_in_the_json_file()
    {
        await consumer.WriteSettingsAsync(PackedConsumer.ValidSettings);
        var (buildExit, buildOutput) = await consumer.BuildAsync();
        Assert.True(buildExit == 0, $"the consumer does not build:\n{buildOutput}");

        var dll = Path.Combine(consumer.ProjectDirectory, "bin", "Debug", "net10.0", "Consumer.dll");
        var (runExit, runOutput) = await DotnetCli.RunAsync(consumer.ProjectDirectory, PackedConsumer.Deadline, dll);
        Assert.True(runExit == 0, $"the consumer does not run:\n{runOutput}");
        Assert.Contains("peer Edge2 key=Edge2 weight=2", runOutput, StringComparison.Ordinal);
        Assert.Contains("typed Edge3 Edge3", runOutput, StringComparison.Ordinal);

        var typo = PackedConsumer.ValidSettings.Replace("\"Edge2\"", "\"Egde2\"", StringComparison.Ordinal);
        await consumer.WriteSettingsAsync(typo);
        var (brokenExit, brokenOutput) = await consumer.BuildAsync();
        Assert.NotEqual(0, brokenExit);
        var (line, column) = LineAndColumn(typo, "\"Egde2\"");
        var expected = $"{Path.Combine(consumer.ProjectDirectory, "appsettings.json")}({line},{column}): error PSQL012: Peer 'Egde2' under 'ProxySql:Peers' in appsettings.json is not declared by 'AppDatabases'";
        Assert.True(brokenOutput.Contains(expected, StringComparison.Ordinal), $"expected\n{expected}\nin\n{brokenOutput}");
        Assert.Contains("PSQL013", brokenOutput, StringComparison.Ordinal);

        var (optOutExit, optOutOutput) = await consumer.BuildAsync("-p:ProxySqlCheckAppSettings=false");
        Assert.True(optOutExit == 0, $"with ProxySqlCheckAppSettings=false the settings are not checked, yet:\n{optOutOutput}");
    }

    private static (int Line, int Column) LineAndColumn(string text, string snippet)
    {
        var index = text.IndexOf(snippet, StringComparison.Ordinal);
        var line = text[..index].Count(c => c == '\n') + 1;
        var column = index - (text.LastIndexOf('\n', index) + 1) + 1;
        return (line, column);
    }
}
