namespace ProxySql.Generator.Model;

/// <summary>The kind of a JSON value.</summary>
internal enum JsonKind
{
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>A JSON value with its position in the file.</summary>
/// <param name="Kind">The value kind.</param>
/// <param name="Text">For primitives, the value as configuration sees it (string contents, number text, <c>True</c>/<c>False</c>).</param>
/// <param name="Span">The value's span.</param>
/// <param name="Members">For objects, the members in file order.</param>
/// <param name="Items">For arrays, the items.</param>
internal sealed record JsonNode(JsonKind Kind, string? Text, SourceSpan Span, EquatableArray<JsonMember> Members, EquatableArray<JsonNode> Items)
{
    public bool IsPrimitive => Kind is JsonKind.String or JsonKind.Number or JsonKind.True or JsonKind.False;
}

/// <summary>One member of a JSON object.</summary>
/// <param name="Name">The member name (unescaped).</param>
/// <param name="NameSpan">The span of the quoted name.</param>
/// <param name="Value">The value.</param>
internal sealed record JsonMember(string Name, SourceSpan NameSpan, JsonNode Value);
