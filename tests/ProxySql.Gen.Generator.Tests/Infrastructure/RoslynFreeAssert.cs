using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ProxySql.Generator.Tests.Infrastructure;

/// <summary>Fails when a pipeline value reaches a Roslyn object that would pin a compilation in the cache.</summary>
internal static class RoslynFreeAssert
{
    private static readonly Type[] s_forbidden = [typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree)];

    public static void HoldsNoRoslynObject(object? value, string where)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(value, where, seen, 0);
    }

    /// <summary>The declared type of every field, recursively through generic arguments, is not from Microsoft.CodeAnalysis.</summary>
    public static void TypeHoldsNoRoslynType(Type type)
    {
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
        {
            foreach (var used in Expand(field.FieldType))
            {
                Assert.False(
                    used.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true,
                    $"{type.Name}.{field.Name} is of type {field.FieldType}, which holds the Roslyn type {used}");
            }
        }
    }

    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Expand(argument))
            {
                yield return inner;
            }
        }
    }

    private static void Walk(object? value, string where, HashSet<object> seen, int depth)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || depth > 100)
        {
            return;
        }

        Assert.False(s_forbidden.Any(t => t.IsInstanceOfType(value)), $"{where} holds a {value.GetType()}");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                Walk(item, where, seen, depth + 1);
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(value), $"{where}.{field.Name}", seen, depth + 1);
        }
    }
}
