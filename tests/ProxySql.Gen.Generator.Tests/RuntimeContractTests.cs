using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>
/// Generated code is compiled into the user's assembly and then runs against whatever runtime package is
/// deployed beside it. Every runtime member generated code has ever used is listed, with its full signature,
/// in <c>Contract/GeneratedCodeContract.txt</c> (append-only); the current runtime must still have each one,
/// exactly. A positional constructor that gains a parameter, a property that loses its init accessor, a
/// renamed or retyped member or a renumbered strategy fails here instead of with MissingMethodException in production.
/// </summary>
public sealed class RuntimeContractTests
{
    private const string RuntimeAssembly = "ProxySql.Gen";

    /// <summary>Uses every kind of argument and peer the emitter knows, so every member it can emit is referenced.</summary>
    private const string EverythingSource = """
        using ProxySql;
        namespace Shop.Data;
        [ProxySqlDatabases(
            "ProxySql",
            CheckInterval = "30",
            ConnectTimeout = "2",
            HedgeDelay = "0.1",
            ProbeInterval = "2",
            Strategy = ProxySqlStrategy.Ordered,
            ProbeQuery = "SELECT 1",
            ProbeTimeout = "1",
            MaxHedgedAttempts = 1,
            SlowStartWindow = "10",
            ShutdownSessionsOnMarkDown = true)]
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Edge1 { get; }
            [Peer("proxysql-b", Weight = 2)] public partial ProxySqlPeer? Edge2 { get; }
        }
        """;

    private static string ContractPath => Path.Combine(Path.GetDirectoryName(Baseline.Directory())!, "Contract", "GeneratedCodeContract.txt");

    [Fact]
    public void Every_runtime_member_the_generated_code_uses_is_in_the_contract()
    {
        var used = UsedRuntimeMembers();
        var listed = ContractLines();
        var missing = used.Where(u => !listed.Contains(u, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0 && Environment.GetEnvironmentVariable("PROXYSQL_UPDATE_BASELINES") == "1")
        {
            File.AppendAllLines(ContractPath, missing);
            return;
        }

        Assert.True(
            missing.Count == 0,
            "generated code now uses runtime members the contract does not list; the runtime must keep them forever once shipped. "
            + "Append them (PROXYSQL_UPDATE_BASELINES=1) and review git diff:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_member_in_the_contract_still_exists_in_the_runtime_with_the_same_signature()
    {
        var compilation = GeneratorHarness.CreateCompilation(string.Empty);
        var broken = new List<string>();
        foreach (var line in ContractLines())
        {
            var id = line.Split(' ')[0];
            var symbol = DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation);
            var now = symbol is null ? "(missing)" : Describe(symbol);
            if (!string.Equals(now, line, StringComparison.Ordinal))
                broken.Add($"{line}\n    is now: {now}");
        }

        Assert.True(broken.Count == 0, "the runtime broke members that generated code of earlier packages calls:\n" + string.Join("\n", broken));
    }

    [Fact]
    public void Contract_lists_settable_properties_and_parameterless_constructors_not_positional_ones()
    {
        var lines = ContractLines();

        Assert.Contains("M:ProxySql.ProxySqlPeerDefinition.#ctor public", lines);
        Assert.Contains("M:ProxySql.ProxySqlDefaults.#ctor public", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("M:ProxySql.ProxySqlPeerDefinition.#ctor(", StringComparison.Ordinal) || l.StartsWith("M:ProxySql.ProxySqlDefaults.#ctor(", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("P:ProxySql.ProxySqlDefaults.SlowStartWindow ", StringComparison.Ordinal) && l.EndsWith("{ get; init; }", StringComparison.Ordinal));
    }

    private static List<string> ContractLines() =>
        [.. File.ReadAllLines(ContractPath).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    private static List<string> UsedRuntimeMembers()
    {
        var outcome = GeneratorHarness.Run(EverythingSource);
        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.True(outcome.GeneratedCodeDiagnostics.IsEmpty, GeneratorOutcome.Render(outcome.GeneratedCodeDiagnostics));

        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in outcome.Sources)
        {
            var tree = outcome.Output.SyntaxTrees.Single(t => t.FilePath.EndsWith(source.HintName, StringComparison.Ordinal));
            var model = outcome.Output.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (model.GetSymbolInfo(node).Symbol is not { } symbol || symbol.ContainingAssembly?.Name != RuntimeAssembly && (symbol as ITypeSymbol)?.ContainingAssembly?.Name != RuntimeAssembly)
                    continue;
                var definition = symbol.OriginalDefinition;
                used.Add(Describe(definition));

                // A class that implements a runtime interface must keep matching every member of it; any strategy can be emitted.
                if (definition is INamedTypeSymbol { TypeKind: TypeKind.Interface or TypeKind.Enum } contract)
                {
                    foreach (var member in contract.GetMembers().Where(m => !m.IsImplicitlyDeclared))
                        used.Add(Describe(member));
                }
            }
        }

        return [.. used];
    }

    /// <summary>One line: the documentation id, then what else makes a reference to it bind at run time.</summary>
    private static string Describe(ISymbol symbol)
    {
        var id = DocumentationCommentId.CreateDeclarationId(symbol);
        var access = SyntaxFacts.GetText(symbol.DeclaredAccessibility);
        var format = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);
        return symbol switch
        {
            INamedTypeSymbol type => $"{id} {access} {type.TypeKind.ToString().ToLowerInvariant()}{(type.IsSealed && type.TypeKind == TypeKind.Class ? " sealed" : string.Empty)}{(type.IsAbstract && type.TypeKind == TypeKind.Class ? " abstract" : string.Empty)}",
            IMethodSymbol method => $"{id} {access}{(method.IsStatic ? " static" : string.Empty)}{(method.IsAbstract ? " abstract" : string.Empty)}{(method.MethodKind == MethodKind.Constructor ? string.Empty : " : " + method.ReturnType.ToDisplayString(format))}",
            IPropertySymbol property => $"{id} {access} : {property.Type.ToDisplayString(format)} {{{(property.GetMethod is null ? string.Empty : " get;")}{(property.SetMethod is null ? string.Empty : property.SetMethod.IsInitOnly ? " init;" : " set;")} }}",
            IFieldSymbol { HasConstantValue: true } field => $"{id} {access} = {field.ConstantValue}",
            _ => $"{id} {access}",
        };
    }
}
