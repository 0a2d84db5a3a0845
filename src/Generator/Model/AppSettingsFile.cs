namespace ProxySql.Generator.Model;

/// <summary>One <c>appsettings*.json</c> additional file, parsed.</summary>
/// <param name="Path">The file path as the compiler received it.</param>
/// <param name="FileName">The file name, for messages.</param>
/// <param name="IsBase">True for <c>appsettings.json</c> itself (not an environment overlay).</param>
/// <param name="Root">The root value, or <see langword="null"/> when the file does not parse.</param>
/// <param name="ParseError">Why the file does not parse, located in it.</param>
internal sealed record AppSettingsFile(string Path, string FileName, bool IsBase, JsonNode? Root, DiagnosticInfo? ParseError);
