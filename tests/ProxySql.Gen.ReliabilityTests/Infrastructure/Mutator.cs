using System.Text;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>Seeded random edits of a text: delete a span, insert a token, replace a word, duplicate or swap lines.</summary>
internal sealed class Mutator(Random random, string[] tokens)
{
    public string Mutate(string text)
    {
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits; i++)
            text = Edit(text);
        return text;
    }

    private string Edit(string text)
    {
        var at = random.Next(text.Length + 1);
        switch (random.Next(6))
        {
            case 0:
                return text.Remove(Math.Min(at, text.Length), Math.Min(random.Next(1, 20), text.Length - Math.Min(at, text.Length)));
            case 1:
                return text.Insert(at, tokens[random.Next(tokens.Length)]);
            case 2:
                return ReplaceWord(text);
            case 3:
            {
                var lines = text.Split('\n').ToList();
                var line = random.Next(lines.Count);
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            }

            case 4:
            {
                var lines = text.Split('\n');
                var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
                (lines[a], lines[b]) = (lines[b], lines[a]);
                return string.Join('\n', lines);
            }

            default:
                return text.Insert(at, ((char)random.Next(0, 0x3000)).ToString());
        }
    }

    private string ReplaceWord(string text)
    {
        var words = new List<(int Start, int Length)>();
        for (var i = 0; i < text.Length;)
        {
            if (char.IsLetterOrDigit(text[i]))
            {
                var start = i;
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                    i++;
                words.Add((start, i - start));
            }
            else
            {
                i++;
            }
        }

        if (words.Count == 0)
            return text;
        var (s, l) = words[random.Next(words.Count)];
        return new StringBuilder(text).Remove(s, l).Insert(s, tokens[random.Next(tokens.Length)]).ToString();
    }
}
