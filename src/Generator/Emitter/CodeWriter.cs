using System.Text;

namespace ProxySql.Generator.Emitter;

/// <summary>Builds indented source with '\n' line endings on every platform, so output is deterministic.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Line(string text)
    {
        _builder.Append(' ', _indent * 4).Append(text).Append('\n');
    }

    public void Line() => _builder.Append('\n');

    public void Open()
    {
        Line("{");
        _indent++;
    }

    public void Close()
    {
        _indent--;
        Line("}");
    }

    /// <summary>Closes a block that ends a statement, such as an array or object initializer.</summary>
    public void CloseStatement()
    {
        _indent--;
        Line("};");
    }

    public override string ToString() => _builder.ToString();
}
