namespace ProxySql.Generator.Model;

/// <summary>What parsing one annotated class yields: a model when the class is valid, and its C# diagnostics.</summary>
/// <param name="Model">The model, or <see langword="null"/> when the class has errors (nothing is emitted then).</param>
/// <param name="Diagnostics">Diagnostics located in C# files.</param>
internal sealed record ParseResult(DatabasesModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static ParseResult Nothing { get; } = new(null, EquatableArray<DiagnosticInfo>.Empty);
}
