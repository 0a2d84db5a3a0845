using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ProxySql.Generator;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// Runs the real generator (CSharpGeneratorDriver) on one source and an optional appsettings.json against the real
/// runtime assembly, and reports what a user would see: a generator crash, or errors that the generated code brought
/// into the compilation.
/// </summary>
internal static class GeneratorRun
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>What a consumer of the runtime compiles against (a short list: a compilation binds every reference it gets).</summary>
    private static readonly string[] ReferenceNames =
    [
        "System.Private.CoreLib", "System.Runtime", "netstandard", "System.Collections", "System.Linq", "System.Memory", "System.Threading",
        "System.Threading.Tasks", "System.Data.Common", "System.ComponentModel", "System.ComponentModel.Primitives", "System.Diagnostics.DiagnosticSource",
        "Microsoft.Extensions.Configuration.Abstractions", "Microsoft.Extensions.Logging.Abstractions", "Microsoft.Extensions.Primitives",
        "Microsoft.Extensions.DependencyInjection.Abstractions", "MySqlConnector",
    ];

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Array.IndexOf(ReferenceNames, Path.GetFileNameWithoutExtension(p)) >= 0)
            .Append(typeof(ProxySqlDatabases).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)),
    ]);

    /// <summary>Runs the generator; returns a description of every problem (empty when none) and whether it emitted code.</summary>
    public static (List<string> Problems, bool Emitted) Check(string source, string? appSettings)
    {
        var compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(source, ParseOptions, "/src/Input.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        AdditionalText[] texts = appSettings is null ? [] : [new InMemoryText("/src/appsettings.json", appSettings)];
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ProxySqlDatabasesGenerator().AsSourceGenerator()], texts, ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);
        var result = driver.GetRunResult().Results.Single();

        var problems = new List<string>();
        if (result.Exception is { } exception)
            problems.Add($"the generator threw: {exception}");
        problems.AddRange(driverDiagnostics.Concat(result.Diagnostics)
            .Where(d => d.Id is "AD0001" or "CS8784" or "CS8785")
            .Select(d => $"generator failure diagnostic: {d}"));
        if (result.GeneratedSources.IsEmpty)
            return (problems, false);

        // Whatever the generated code adds: any error in generated files, a warning there for valid input, and errors on lines of the user's
        // code that had none before (an error that only changes form, e.g. "not found" to "not an attribute", is the user's).
        // Warnings count only for input that is otherwise valid (its sole errors are the partial properties the generator implements).
        var inputErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var before = inputErrors.Select(Key).ToHashSet(StringComparer.Ordinal);
        var inputValid = inputErrors.All(d => d.Id == "CS9248");
        var generated = result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        foreach (var diagnostic in output.GetDiagnostics())
        {
            var inGenerated = diagnostic.Location.SourceTree is { } tree && generated.Contains(tree);
            if ((diagnostic.Severity == DiagnosticSeverity.Error && !before.Contains(Key(diagnostic))) || (inGenerated && inputValid && diagnostic.Severity == DiagnosticSeverity.Warning) || (inGenerated && diagnostic.Severity == DiagnosticSeverity.Error))
                problems.Add($"generated code brought {diagnostic.Severity} {diagnostic}{(inGenerated ? " in " + diagnostic.Location.SourceTree!.FilePath : string.Empty)}");
        }

        return (problems, true);
    }

    private static string Key(Diagnostic diagnostic) =>
        diagnostic.Location.GetLineSpan() is var span ? $"{span.Path}:{span.StartLinePosition.Line}" : string.Empty;

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
