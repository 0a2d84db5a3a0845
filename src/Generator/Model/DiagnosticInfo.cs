namespace ProxySql.Generator.Model;

/// <summary>A diagnostic to report, as a value: descriptor id, file, span and message arguments.</summary>
/// <param name="Id">The descriptor id (<c>PSQL0xx</c>).</param>
/// <param name="FilePath">The C# or JSON file the diagnostic points into.</param>
/// <param name="Span">Where in that file.</param>
/// <param name="Arguments">The message format arguments.</param>
/// <param name="InSource">True for a C# file of the compilation (rebuilt as a source location so <c>#pragma</c> applies).</param>
internal sealed record DiagnosticInfo(string Id, string FilePath, SourceSpan Span, EquatableArray<string> Arguments, bool InSource);
