namespace ProxySql.Generator.Model;

/// <summary>A partial type that contains the annotated class, re-declared around the generated code.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>.</param>
/// <param name="Name">The type name as written (keywords escaped).</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);
