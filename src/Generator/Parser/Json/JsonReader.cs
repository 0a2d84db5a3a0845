using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using ProxySql.Generator.Model;

namespace ProxySql.Generator.Parser.Json;

/// <summary>
/// A small JSON reader that keeps positions, accepting what the configuration JSON provider accepts:
/// comments, trailing commas, an object at the top, at most 64 levels of nesting. No package dependency
/// (System.Text.Json does not load inside every compiler host).
/// </summary>
internal sealed class JsonReader
{
    public const int MaxDepth = 64;

    private readonly string _text;
    private readonly LineMap _lines;
    private readonly CancellationToken _cancellationToken;
    private readonly StringBuilder _buffer = new();
    private int _position;
    private int _nodes;

    private JsonReader(string text, CancellationToken cancellationToken)
    {
        _text = text;
        _lines = new LineMap(text);
        _cancellationToken = cancellationToken;
    }

    /// <summary>Parses <paramref name="text"/>; on failure returns the reason and where.</summary>
    public static JsonReadResult Read(string text, CancellationToken cancellationToken)
    {
        var reader = new JsonReader(text, cancellationToken);
        try
        {
            return new JsonReadResult(reader.ReadDocument(), null, default);
        }
        catch (JsonSyntaxException e)
        {
            var start = Math.Min(e.Offset, text.Length);
            var end = Math.Min(start + (start < text.Length ? 1 : 0), text.Length);
            return new JsonReadResult(null, e.Message, reader._lines.Span(start, end));
        }
    }

    private JsonNode ReadDocument()
    {
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _position = 1;
        }

        SkipTrivia();
        if (_position >= _text.Length)
        {
            throw new JsonSyntaxException("the file is empty; write at least {}", _position);
        }

        var start = _position;
        var root = ReadValue(0);
        if (root.Kind != JsonKind.Object)
        {
            throw new JsonSyntaxException("the top-level value must be an object", start);
        }

        SkipTrivia();
        if (_position < _text.Length)
        {
            throw new JsonSyntaxException($"unexpected '{_text[_position]}' after the end of the top-level object", _position);
        }

        return root;
    }

    private JsonNode ReadValue(int depth)
    {
        if (++_nodes % 4096 == 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
        }

        if (_position >= _text.Length)
        {
            throw new JsonSyntaxException("unexpected end of file; a value is missing", _position);
        }

        var start = _position;
        switch (_text[_position])
        {
            case '{':
                return ReadObject(depth + 1);
            case '[':
                return ReadArray(depth + 1);
            case '"':
                var text = ReadString();
                return Primitive(JsonKind.String, text, start);
            case 't':
                ExpectLiteral("true");
                return Primitive(JsonKind.True, "True", start);
            case 'f':
                ExpectLiteral("false");
                return Primitive(JsonKind.False, "False", start);
            case 'n':
                ExpectLiteral("null");
                return Primitive(JsonKind.Null, null, start);
            case '-':
            case >= '0' and <= '9':
                return Primitive(JsonKind.Number, ReadNumber(), start);
            default:
                throw new JsonSyntaxException($"unexpected '{_text[_position]}'; expected a value", _position);
        }
    }

    private JsonNode Primitive(JsonKind kind, string? text, int start) =>
        new(kind, text, _lines.Span(start, _position), EquatableArray<JsonMember>.Empty, EquatableArray<JsonNode>.Empty);

    private JsonNode ReadObject(int depth)
    {
        var start = _position;
        CheckDepth(depth, start);
        _position++;
        var members = new List<JsonMember>();
        var leaves = new Dictionary<string, JsonMember>(StringComparer.OrdinalIgnoreCase);
        SkipTrivia();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new JsonSyntaxException("unexpected end of file; an object is not closed with '}'", _position);
            }

            if (_text[_position] == '}')
            {
                _position++;
                break;
            }

            if (_text[_position] != '"')
            {
                throw new JsonSyntaxException($"unexpected '{_text[_position]}'; expected a property name in double quotes", _position);
            }

            var nameStart = _position;
            var name = ReadString();
            var nameSpan = _lines.Span(nameStart, _position);
            SkipTrivia();
            if (_position >= _text.Length || _text[_position] != ':')
            {
                throw new JsonSyntaxException($"expected ':' after the property name \"{name}\"", _position);
            }

            _position++;
            SkipTrivia();
            var value = ReadValue(depth);
            var member = new JsonMember(name, nameSpan, value);

            // The configuration provider rejects two values for the same (case-insensitive) key.
            if (value.Kind != JsonKind.Object && value.Kind != JsonKind.Array)
            {
                if (leaves.ContainsKey(name))
                {
                    throw new JsonSyntaxException($"the key \"{name}\" appears twice in this object (keys are case-insensitive)", nameStart);
                }

                leaves.Add(name, member);
            }

            members.Add(member);
            if (ReadSeparatorOrEnd('}', "an object"))
            {
                break;
            }
        }

        return new JsonNode(JsonKind.Object, null, _lines.Span(start, _position), members.ToEquatableArray(), EquatableArray<JsonNode>.Empty);
    }

    private JsonNode ReadArray(int depth)
    {
        var start = _position;
        CheckDepth(depth, start);
        _position++;
        var items = new List<JsonNode>();
        SkipTrivia();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new JsonSyntaxException("unexpected end of file; an array is not closed with ']'", _position);
            }

            if (_text[_position] == ']')
            {
                _position++;
                break;
            }

            items.Add(ReadValue(depth));
            if (ReadSeparatorOrEnd(']', "an array"))
            {
                break;
            }
        }

        return new JsonNode(JsonKind.Array, null, _lines.Span(start, _position), EquatableArray<JsonMember>.Empty, items.ToEquatableArray());
    }

    /// <summary>After an element of an object or array: consumes a ',' (returns false) or the closing <paramref name="end"/> (returns true).</summary>
    private bool ReadSeparatorOrEnd(char end, string container)
    {
        SkipTrivia();
        if (_position < _text.Length && _text[_position] == ',')
        {
            _position++;
            SkipTrivia();
            return false;
        }

        if (_position < _text.Length && _text[_position] == end)
        {
            _position++;
            return true;
        }

        throw _position >= _text.Length
            ? new JsonSyntaxException($"unexpected end of file; {container} is not closed with '{end}'", _position)
            : new JsonSyntaxException($"unexpected '{_text[_position]}'; expected ',' or '{end}'", _position);
    }

    private static void CheckDepth(int depth, int position)
    {
        if (depth > MaxDepth)
        {
            throw new JsonSyntaxException($"objects and arrays are nested deeper than {MaxDepth} levels", position);
        }
    }

    private string ReadString()
    {
        var start = _position;
        _position++;
        _buffer.Clear();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new JsonSyntaxException("a string is not closed with '\"'", start);
            }

            var c = _text[_position];
            if (c == '"')
            {
                _position++;
                return _buffer.ToString();
            }

            if (c < ' ')
            {
                throw new JsonSyntaxException("a string contains a line break or control character; escape it", _position);
            }

            if (c != '\\')
            {
                _buffer.Append(c);
                _position++;
                continue;
            }

            if (_position + 1 >= _text.Length)
            {
                throw new JsonSyntaxException("a string is not closed with '\"'", start);
            }

            var escape = _text[_position + 1];
            _position += 2;
            switch (escape)
            {
                case '"': _buffer.Append('"'); break;
                case '\\': _buffer.Append('\\'); break;
                case '/': _buffer.Append('/'); break;
                case 'b': _buffer.Append('\b'); break;
                case 'f': _buffer.Append('\f'); break;
                case 'n': _buffer.Append('\n'); break;
                case 'r': _buffer.Append('\r'); break;
                case 't': _buffer.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new JsonSyntaxException("'\\u' must be followed by four hexadecimal digits", _position - 2);
                    }

                    _buffer.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw new JsonSyntaxException($"'\\{escape}' is not a JSON escape sequence", _position - 2);
            }
        }
    }

    private string ReadNumber()
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        if (Peek() == '0')
        {
            _position++;
        }
        else if (IsDigit(Peek()))
        {
            SkipDigits();
        }
        else
        {
            throw new JsonSyntaxException("a number needs a digit here", _position);
        }

        if (Peek() == '.')
        {
            _position++;
            if (!IsDigit(Peek()))
            {
                throw new JsonSyntaxException("a number needs a digit after '.'", _position);
            }

            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            _position++;
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            if (!IsDigit(Peek()))
            {
                throw new JsonSyntaxException("a number needs a digit in its exponent", _position);
            }

            SkipDigits();
        }

        if (IsDigit(Peek()) || char.IsLetter(Peek()))
        {
            throw new JsonSyntaxException($"unexpected '{Peek()}' in a number", _position);
        }

        return _text.Substring(start, _position - start);
    }

    private void SkipDigits()
    {
        while (IsDigit(Peek()))
        {
            _position++;
        }
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void ExpectLiteral(string literal)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0
            || (_position + literal.Length < _text.Length && char.IsLetterOrDigit(_text[_position + literal.Length])))
        {
            throw new JsonSyntaxException("unexpected characters; expected a value (strings need double quotes)", _position);
        }

        _position += literal.Length;
    }

    private void SkipTrivia()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '/')
            {
                while (_position < _text.Length && _text[_position] != '\n' && _text[_position] != '\r')
                {
                    _position++;
                }
            }
            else if (c == '/' && _position + 1 < _text.Length && _text[_position + 1] == '*')
            {
                var end = _text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new JsonSyntaxException("a comment is not closed with '*/'", _position);
                }

                _position = end + 2;
            }
            else
            {
                return;
            }
        }
    }

    private sealed class JsonSyntaxException : Exception
    {
        public JsonSyntaxException(string message, int offset)
            : base(message) => Offset = offset;

        public int Offset { get; }
    }
}
