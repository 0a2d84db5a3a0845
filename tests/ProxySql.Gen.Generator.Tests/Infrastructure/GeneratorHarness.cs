using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>Runs the real generator on an in-memory compilation against the real runtime assembly.</summary>
internal static class GeneratorHarness
{
    public const string SourcePath = "/src/Input.cs";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static GeneratorDriverOptions DriverOptions { get; } = new(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true);

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, i == 0 ? SourcePath : $"/src/Input{i}.cs")),
            s_references.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                warningLevel: 9999,
                deterministic: true));

    public static GeneratorDriver CreateDriver(params AdditionalText[] additionalTexts) =>
        CSharpGeneratorDriver.Create(
            [new ProxySqlDatabasesGenerator().AsSourceGenerator()],
            additionalTexts,
            ParseOptions,
            optionsProvider: null,
            DriverOptions);

    public static GeneratorOutcome Run(string source, params (string FileName, string Text)[] settings)
    {
        var compilation = CreateCompilation(source);
        var texts = settings.Select(s => (AdditionalText)new InMemoryAdditionalText("/src/" + s.FileName, s.Text)).ToArray();
        var driver = CreateDriver(texts).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var texts2 = settings.ToDictionary(s => "/src/" + s.FileName, s => s.Text);
        texts2[SourcePath] = source;
        return new GeneratorOutcome(driver.GetRunResult(), output, diagnostics, texts2);
    }

    /// <summary>Runs on C# files with the given paths, in the given order (the order the compilation lists its trees).</summary>
    public static GeneratorOutcome RunFiles(params (string Path, string Source)[] files)
    {
        var compilation = CreateCompilation().AddSyntaxTrees(files.Select(f => CSharpSyntaxTree.ParseText(f.Source, ParseOptions, f.Path)));
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorOutcome(driver.GetRunResult(), output, diagnostics, files.ToDictionary(f => f.Path, f => f.Source));
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(ProxySql.ProxySqlDatabases).Assembly.Location)
            .Distinct(StringComparer.Ordinal);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
