using ProxySql.Generator.Model;

namespace ProxySql.Generator.Parser.Json;

/// <summary>The outcome of <see cref="JsonReader.Read"/>.</summary>
/// <param name="Root">The top-level object, or <see langword="null"/> on error.</param>
/// <param name="Error">What is wrong, or <see langword="null"/>.</param>
/// <param name="ErrorSpan">Where it is wrong.</param>
internal readonly record struct JsonReadResult(JsonNode? Root, string? Error, SourceSpan ErrorSpan);
