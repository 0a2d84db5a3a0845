using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>What one generator run produced: sources, generator diagnostics and the updated compilation.</summary>
internal sealed record GeneratorOutcome(
    GeneratorDriverRunResult RunResult,
    Compilation Output,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    IReadOnlyDictionary<string, string> Files)
{
    public ImmutableArray<GeneratedSourceResult> Sources => RunResult.Results.Single().GeneratedSources;

    public Exception? Exception => RunResult.Results.Single().Exception;

    /// <summary>Errors and warnings of the whole compilation after generation (user code and generated code).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics =>
        [.. Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>Errors and warnings located in generated files.</summary>
    public ImmutableArray<Diagnostic> GeneratedCodeDiagnostics =>
        [.. CompilationDiagnostics.Where(d => Sources.Any(s => s.SyntaxTree == d.Location.SourceTree))];

    public Diagnostic Single(string id)
    {
        var matching = GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1, $"expected one {id}, got:\n{Render(GeneratorDiagnostics)}");
        return matching[0];
    }

    /// <summary>Renders diagnostics one per line as <c>Severity ID File L# C# message</c>.</summary>
    public static string Render(IEnumerable<Diagnostic> diagnostics) =>
        string.Join(
            "\n",
            diagnostics
                .Select(d => (Diagnostic: d, Span: d.Location.GetLineSpan()))
                .OrderBy(x => x.Span.Path, StringComparer.Ordinal)
                .ThenBy(x => x.Span.StartLinePosition.Line)
                .ThenBy(x => x.Span.StartLinePosition.Character)
                .ThenBy(x => x.Diagnostic.Id, StringComparer.Ordinal)
                .Select(x => string.Create(
                    CultureInfo.InvariantCulture,
                    $"{x.Diagnostic.Severity} {x.Diagnostic.Id} {Path.GetFileName(x.Span.Path)} L{x.Span.StartLinePosition.Line + 1} C{x.Span.StartLinePosition.Character + 1} {x.Diagnostic.GetMessage(CultureInfo.InvariantCulture)}")));

    /// <summary>The text that a diagnostic's location covers, in its own file.</summary>
    public string LocatedText(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        var path = diagnostic.Location.GetLineSpan().Path;
        return Files[path].Substring(span.Start, span.Length);
    }
}
