using ProxySql.Generator.Model;
using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>Pipeline models are plain values: nothing from Roslyn, so the cache never pins a compilation.</summary>
public sealed class ModelPurityTests
{
    public static TheoryData<string> ModelTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in ModelTypeNames())
        {
            data.Add(type);
        }

        return data;
    }

    private static List<string> ModelTypeNames() =>
        [.. typeof(DatabasesModel).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(DatabasesModel).Namespace && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Model_type_has_no_field_of_a_Roslyn_type(string typeName)
    {
        var type = typeof(DatabasesModel).Assembly.GetType(typeName, throwOnError: true)!;
        RoslynFreeAssert.TypeHoldsNoRoslynType(type.IsGenericTypeDefinition ? type.MakeGenericType(typeof(DatabasesModel)) : type);
    }

    [Fact]
    public void Model_namespace_holds_the_pipeline_values()
    {
        var names = ModelTypeNames();

        Assert.Contains(typeof(DatabasesModel).FullName, names);
        Assert.Contains(typeof(DiagnosticInfo).FullName, names);
        Assert.Contains(typeof(JsonNode).FullName, names);
    }

    [Fact]
    public void Reflection_check_catches_a_Roslyn_field()
    {
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => RoslynFreeAssert.TypeHoldsNoRoslynType(typeof(HoldsLocation)));
    }

    private sealed record HoldsLocation(Microsoft.CodeAnalysis.Location? Location);
}
