using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ProxySql.Generator.Tests;

/// <summary>The diagnostic catalog is consistent: unique ids, every one resolvable and listed in AnalyzerReleases.</summary>
public sealed class DescriptorCatalogTests
{
    private static readonly List<DiagnosticDescriptor> s_descriptors =
        [.. typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)];

    [Fact]
    public void Ids_are_unique_errors_in_the_ProxySql_category_and_resolve_to_their_descriptor()
    {
        Assert.Equal(s_descriptors.Count, s_descriptors.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(s_descriptors, d =>
        {
            Assert.Matches("^PSQL[0-9]{3}$", d.Id);
            Assert.Equal(DiagnosticSeverity.Error, d.DefaultSeverity);
            Assert.Equal("ProxySql", d.Category);
            Assert.Same(d, DiagnosticDescriptors.Get(d.Id));
        });
    }

    [Fact]
    public void Unshipped_release_notes_list_exactly_the_descriptors()
    {
        var notes = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(Infrastructure.Baseline.Directory())!, "..", "..", "src", "Generator", "AnalyzerReleases.Unshipped.md"));
        var listed = notes.Where(l => l.StartsWith("PSQL", StringComparison.Ordinal)).Select(l => l.Split('|')[0].Trim()).Order(StringComparer.Ordinal);

        Assert.Equal(s_descriptors.Select(d => d.Id).Order(StringComparer.Ordinal), listed);
    }
}
