namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>Finds where a snippet is in a text, so a test states a location by its content rather than by numbers.</summary>
internal static class TextPosition
{
    /// <summary>The 0-based line and column of the first occurrence of <paramref name="snippet"/> (after <paramref name="after"/> when given).</summary>
    public static (int Line, int Column) Of(string text, string snippet, string? after = null)
    {
        var from = after is null ? 0 : text.IndexOf(after, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{after}' is not in the text");
        var index = text.IndexOf(snippet, from, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{snippet}' is not in the text");
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart);
    }
}
