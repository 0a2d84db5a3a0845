using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProxySql.Generator.Emitter;
using ProxySql.Generator.Model;
using ProxySql.Generator.Parser;

namespace ProxySql.Generator;

/// <summary>
/// Implements <c>[ProxySqlDatabases]</c> classes: typed peers, reflection-free <c>Create</c>, and compile-time
/// checks of the class and of <c>appsettings*.json</c> additional files. Pipeline only: parsing lives in
/// <c>Parser/</c>, emitting in <c>Emitter/</c>, values in <c>Model/</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProxySqlDatabasesGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DatabasesParser.DatabasesAttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (syntax, cancellationToken) => DatabasesParser.Parse(syntax, cancellationToken))
            .WithTrackingName(TrackingNames.Parse);

        var models = parsed
            .Select(static (result, _) => result.Model)
            .WithTrackingName(TrackingNames.Model);

        context.RegisterSourceOutput(models, static (production, model) =>
        {
            if (model is not null)
            {
                var (hintName, content) = DatabasesEmitter.Emit(model);
                production.AddSource(hintName, content);
            }
        });

        // C# diagnostics are rebuilt on the compilation's own syntax trees, so #pragma applies to them.
        var sourceDiagnostics = parsed
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.SourceDiagnostics);
        context.RegisterSourceOutput(sourceDiagnostics.Combine(context.CompilationProvider), static (production, pair) =>
        {
            if (pair.Left.Count == 0)
            {
                return;
            }

            var trees = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
            foreach (var tree in pair.Right.SyntaxTrees)
            {
                trees[tree.FilePath] = tree;
            }

            foreach (var info in pair.Left)
            {
                production.ReportDiagnostic(Diagnostics.ToDiagnostic(info, trees));
            }
        });

        var settingsFiles = context.AdditionalTextsProvider
            .Where(static text => AppSettingsReader.IsAppSettings(text.Path))
            .Select(static (text, cancellationToken) => AppSettingsReader.Read(text.Path, text.GetText(cancellationToken)?.ToString() ?? "{}", cancellationToken))
            .WithTrackingName(TrackingNames.SettingsFiles);

        var settingsDiagnostics = models
            .Combine(settingsFiles.Collect())
            .Select(static (pair, cancellationToken) => AppSettingsChecker.Check(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.SettingsDiagnostics);
        context.RegisterSourceOutput(settingsDiagnostics, static (production, diagnostics) => Report(production, diagnostics));

        // A settings file that does not parse matters only to projects that use the generator.
        var usesGenerator = parsed.Collect().Select(static (all, _) => all.Length > 0);
        var settingsParseErrors = settingsFiles
            .Combine(usesGenerator)
            .Select(static (pair, _) => pair.Right && pair.Left.ParseError is { } error
                ? ImmutableArray.Create(error).ToEquatableArray()
                : EquatableArray<DiagnosticInfo>.Empty)
            .WithTrackingName(TrackingNames.SettingsParseErrors);
        context.RegisterSourceOutput(settingsParseErrors, static (production, diagnostics) => Report(production, diagnostics));
    }

    private static void Report(SourceProductionContext production, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var info in diagnostics)
        {
            production.ReportDiagnostic(Diagnostics.ToDiagnostic(info, null));
        }
    }
}
