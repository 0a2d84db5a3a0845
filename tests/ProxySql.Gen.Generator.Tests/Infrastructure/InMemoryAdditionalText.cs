using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>An additional file (appsettings*.json) handed to the generator in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
