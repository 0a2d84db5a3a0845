using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using ProxySql.Generator.Model;

namespace ProxySql.Generator.Parser;

/// <summary>Turns Roslyn locations into <see cref="DiagnosticInfo"/> values and back.</summary>
internal static class Diagnostics
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] arguments)
    {
        if (location is null || location.SourceTree is null)
        {
            return new DiagnosticInfo(descriptor.Id, string.Empty, default, arguments.ToEquatableArray(), InSource: false);
        }

        var lines = location.GetLineSpan().Span;
        var span = new SourceSpan(
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            lines.Start.Line,
            lines.Start.Character,
            lines.End.Line,
            lines.End.Character);
        return new DiagnosticInfo(descriptor.Id, location.SourceTree.FilePath, span, arguments.ToEquatableArray(), InSource: true);
    }

    public static DiagnosticInfo InFile(DiagnosticDescriptor descriptor, string path, SourceSpan span, params string[] arguments) =>
        new(descriptor.Id, path, span, arguments.ToEquatableArray(), InSource: false);

    /// <summary>
    /// Rebuilds the diagnostic. A C# location is rebuilt on the compilation's own syntax tree so that
    /// <c>#pragma warning disable</c> and per-file severity apply; other files get an external location.
    /// </summary>
    public static Diagnostic ToDiagnostic(DiagnosticInfo info, IReadOnlyDictionary<string, SyntaxTree>? trees)
    {
        var descriptor = DiagnosticDescriptors.Get(info.Id);
        var arguments = new object[info.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = info.Arguments[i];
        }

        Location location;
        if (info.FilePath.Length == 0)
        {
            location = Location.None;
        }
        else
        {
            var textSpan = new Microsoft.CodeAnalysis.Text.TextSpan(info.Span.Start, info.Span.Length);
            if (info.InSource && trees is not null && trees.TryGetValue(info.FilePath, out var tree) && textSpan.End <= tree.Length)
            {
                location = Location.Create(tree, textSpan);
            }
            else
            {
                var lines = new Microsoft.CodeAnalysis.Text.LinePositionSpan(
                    new Microsoft.CodeAnalysis.Text.LinePosition(info.Span.StartLine, info.Span.StartColumn),
                    new Microsoft.CodeAnalysis.Text.LinePosition(info.Span.EndLine, info.Span.EndColumn));
                location = Location.Create(info.FilePath, textSpan, lines);
            }
        }

        return Diagnostic.Create(descriptor, location, arguments);
    }
}
