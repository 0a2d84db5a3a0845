using System.Globalization;
using Microsoft.CodeAnalysis;

namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>Asserts one diagnostic's id, severity, exact location and message.</summary>
internal static class DiagnosticAssert
{
    public static void Reported(GeneratorOutcome outcome, string id, string fileName, string locatedText, string message, string? after = null, bool generatesSource = false)
    {
        var diagnostic = outcome.Single(id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal(fileName, Path.GetFileName(span.Path));
        Assert.Equal(locatedText, outcome.LocatedText(diagnostic));
        var expected = TextPosition.Of(outcome.Files[span.Path], locatedText, after);
        Assert.Equal(expected, (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal(message, diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(generatesSource, !outcome.Sources.IsEmpty);
    }
}
