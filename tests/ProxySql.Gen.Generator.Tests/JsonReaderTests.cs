using CsCheck;
using ProxySql.Generator.Model;
using ProxySql.Generator.Parser.Json;

namespace ProxySql.Generator.Tests;

/// <summary>The generator's own JSON reader: what the configuration provider accepts, with positions.</summary>
public sealed class JsonReaderTests
{
    [Fact]
    public void Comments_and_trailing_commas_are_accepted_like_the_configuration_provider_does()
    {
        var result = JsonReader.Read("""
            // leading comment
            { /* inline */ "a": [1, 2,], "b": { "c": true, }, }
            """, default);

        Assert.Null(result.Error);
        Assert.Equal(["a", "b"], result.Root!.Members.Select(m => m.Name));
    }

    [Fact]
    public void Values_carry_their_text_as_configuration_sees_it()
    {
        var root = JsonReader.Read("""{ "s": "x\ty\u0041", "n": -1.5e3, "t": true, "f": false, "z": null }""", default).Root!;

        Assert.Equal(["x\tyA", "-1.5e3", "True", "False", null], root.Members.Select(m => m.Value.Text));
    }

    [Fact]
    public void Positions_are_zero_based_lines_and_columns_across_line_endings()
    {
        var root = JsonReader.Read("{\r\n  \"a\": 1,\n\r  \"b\": 2 }", default).Root!;

        Assert.Equal(new SourceSpan(5, 3, 1, 2, 1, 5), root.Members[0].NameSpan);
        Assert.Equal((3, 2), (root.Members[1].NameSpan.StartLine, root.Members[1].NameSpan.StartColumn));
    }

    [Theory]
    [InlineData("{ \"a\": 1, \"A\": 2 }", "the key \"A\" appears twice in this object (keys are case-insensitive)", 10)]
    [InlineData("{ \"a\": 'x' }", "unexpected '''; expected a value", 7)]
    [InlineData("{ \"a\" 1 }", "expected ':' after the property name \"a\"", 6)]
    [InlineData("[1]", "the top-level value must be an object", 0)]
    [InlineData("{} {}", "unexpected '{' after the end of the top-level object", 3)]
    [InlineData("{ \"a\": \"line\nbreak\" }", "a string contains a line break or control character; escape it", 12)]
    public void Errors_say_what_is_wrong_and_where(string json, string error, int offset)
    {
        var result = JsonReader.Read(json, default);

        Assert.Null(result.Root);
        Assert.Equal(error, result.Error);
        Assert.Equal(offset, result.ErrorSpan.Start);
    }

    [Fact]
    public void Nesting_deeper_than_the_configuration_provider_allows_is_an_error()
    {
        var ok = "{\"a\":" + new string('[', JsonReader.MaxDepth - 1) + new string(']', JsonReader.MaxDepth - 1) + "}";
        var tooDeep = "{\"a\":" + new string('[', JsonReader.MaxDepth) + new string(']', JsonReader.MaxDepth) + "}";

        Assert.Null(JsonReader.Read(ok, default).Error);
        Assert.Equal($"objects and arrays are nested deeper than {JsonReader.MaxDepth} levels", JsonReader.Read(tooDeep, default).Error);
    }

    [Fact]
    public void Any_text_yields_either_a_root_or_an_error_without_throwing()
    {
        Gen.String[Gen.Char["{}[]\":,.-+eE0123456789 \n/*truefalsn\\u"], 0, 60].Sample(text =>
        {
            var result = JsonReader.Read(text, default);
            return (result.Root is null) != (result.Error is null) && result.ErrorSpan.Start <= text.Length;
        });
    }
}
