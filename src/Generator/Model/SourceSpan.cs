namespace ProxySql.Generator.Model;

/// <summary>
/// A span in a file with its 0-based line and column bounds: what a diagnostic needs to rebuild a location,
/// without holding a Roslyn <c>Location</c> (and its syntax tree) in the pipeline.
/// </summary>
internal readonly record struct SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);
