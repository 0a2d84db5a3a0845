using System.Text;
using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>Broken input never makes the generator throw, and never yields generated code that fails to compile.</summary>
public sealed class GarbageInTests
{
    private const string Valid = """
        using ProxySql;
        namespace Shop;
        [ProxySqlDatabases("ProxySql", CheckInterval = "00:00:10", Strategy = ProxySqlStrategy.Ordered)]
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Edge1 { get; }
            [Peer("proxysql-b", Weight = 2)] public partial ProxySqlPeer Edge2 { get; }
        }
        """;

    [Theory]
    [InlineData("[ProxySqlDatabases(")]
    [InlineData("using ProxySql; [ProxySqlDatabases(CheckInterval = )] public partial class A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases(Strategy = ProxySqlStrategy.)] public partial class A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases(CheckInterval = 5)] public partial class A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases(null)] public partial class A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] [ProxySqlDatabases] public partial class A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A { [Peer(null)] public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A { [Peer(\"x\", Weight = \"2\")] public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A { public partial ProxySqlPeer E { get; } public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A { public partial ProxySqlPeer E { get; } public partial ProxySqlPeer E { get => null!; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial struct A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial record A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial interface A { ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public static partial class A { }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] file partial class A { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A { public partial Missing E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A : Missing { public partial ProxySqlPeer E { get; } }")]
    [InlineData("using ProxySql; [ProxySqlDatabases] public partial class A { public partial ProxySqlPeer this[int i] { get; } }")]
    [InlineData("using ProxySql; public partial class O<T> { [ProxySqlDatabases] public partial class A { public partial ProxySqlPeer E { get; } } }")]
    public void Broken_declaration_does_not_throw_and_yields_only_compilable_code(string source)
    {
        AssertSafe(source);
    }

    [Fact]
    public void Every_prefix_of_a_valid_declaration_is_handled()
    {
        for (var length = 0; length <= Valid.Length; length += 3)
        {
            AssertSafe(Valid[..length]);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{ \"ProxySql\": ")]
    [InlineData("{ \"ProxySql\": { \"Peers\": [ 1, 2 ] } }")]
    [InlineData("{ \"ProxySql\": \"text\" }")]
    [InlineData("{ \"ProxySql\": { \"Peers\": { \"Edge1\": 5, \"proxysql-b\": null } } }")]
    [InlineData("{ \"ProxySql\": { \"Peers\": { \"Edge1\": { \"Weight\": {} } } } }")]
    [InlineData("{ \"a\": \"\\u12\" }")]
    [InlineData("{ \"a\": 01 }")]
    [InlineData("{ /* never closed ")]
    [InlineData("\uFEFF{ \"a\": tru }")]
    public void Broken_settings_do_not_throw(string json)
    {
        AssertSafe(Valid, json);
    }

    [Fact]
    public void Deeply_nested_settings_are_reported_without_overflowing_the_stack()
    {
        var json = new string('[', 100_000);

        var outcome = AssertSafe(Valid, "{ \"a\": " + json);

        Assert.Contains(outcome.GeneratorDiagnostics, d => d.Id == "PSQL015");
    }

    [Fact]
    public void Huge_settings_file_is_checked()
    {
        var json = new StringBuilder("{ \"Other\": [");
        for (var i = 0; i < 200_000; i++)
        {
            json.Append("{ \"key\": \"value number ").Append(i).Append("\", \"n\": ").Append(i).Append(" },\n");
        }

        json.Append("], \"ProxySql\": { \"Peers\": { \"Edge1\": {}, \"proxysql-b\": {}, \"Edge7\": {} } } }");

        var outcome = AssertSafe(Valid, json.ToString());

        Assert.Equal("PSQL012", Assert.Single(outcome.GeneratorDiagnostics).Id);
    }

    [Theory]
    [InlineData("[Peer(\"x\", Weight = \"2\")] public partial ProxySqlPeer E { get; }")]
    [InlineData("public partial Missing E { get; }")]
    public void Broken_peer_declaration_adds_no_diagnostic_to_the_compiler_error(string member)
    {
        var outcome = AssertSafe($$"""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class A
            {
                {{member}}
            }
            """);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Contains(outcome.CompilationDiagnostics, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    private static GeneratorOutcome AssertSafe(string source, string? json = null)
    {
        var outcome = json is null ? GeneratorHarness.Run(source) : GeneratorHarness.Run(source, ("appsettings.json", json));

        Assert.Null(outcome.Exception);
        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id is "AD0001" or "CS8785" or "PSQL999");
        Assert.True(outcome.GeneratedCodeDiagnostics.IsEmpty, $"generated code does not compile for:\n{source}\n{GeneratorOutcome.Render(outcome.GeneratedCodeDiagnostics)}");
        return outcome;
    }
}
