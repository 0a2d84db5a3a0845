using System.Diagnostics;
using ProxySql.ReliabilityTests.Infrastructure;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>
/// The generator fed seeded random mutations of a valid annotated class and of its appsettings.json: it never throws
/// (no exception in the run result, no AD0001/CS8785), and whenever it emits code, that code compiles against the
/// real runtime assembly without adding an error or a warning.
/// </summary>
public sealed class HostileSourceTests(ITestOutputHelper output)
{
    private const int Mutations = 200;

    private const string ValidSource = """
        using ProxySql;

        namespace Shop.Data;

        [ProxySqlDatabases("ProxySql", CheckInterval = "00:00:30", ConnectTimeout = "2", Strategy = ProxySqlStrategy.RoundRobin)]
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Edge1 { get; }

            [Peer(Weight = 2)]
            public partial ProxySqlPeer Edge2 { get; }

            [Peer("proxysql-c")]
            public partial ProxySqlPeer Edge3 { get; }
        }
        """;

    private const string ValidSettings = """
        {
          "Logging": { "LogLevel": { "Default": "Information" } },
          "ProxySql": {
            // shared by every peer
            "ConnectionString": "Database=app;User ID=app;Password=S3cr3t-P4ss;Connect Timeout=2",
            "CheckInterval": "00:00:30",
            "HedgeDelay": 0.1,
            "Strategy": "Random",
            "Peers": {
              "Edge1": { "ConnectionString": "Server=proxysql-a;Port=6033" },
              "edge2": { "ConnectionString": "Server=proxysql-b;Port=6033", "Weight": 2 },
              "proxysql-c": { "ConnectionString": "Server=proxysql-c;Port=6033", "Enabled": false },
            }
          }
        }
        """;

    private static readonly string[] SourceTokens =
    [
        "partial", "static", "sealed", "abstract", "<T>", "public", "private", "internal", "file", "readonly", "required", "new", "override", "virtual", "unsafe", "extern",
        "[Peer(\"Edge1\")]", "[Peer(\"\")]", "[Peer(null)]", "[Peer(\"x\", Weight = -1)]", "[Peer(Weight = int.MaxValue)]", "[Peer(\"EDGE2\")]",
        "[ProxySqlDatabases]", "[ProxySqlDatabases(\"\")]", "[ProxySqlDatabases(\"A:B\")]", "[ProxySqlDatabases(null)]",
        "CheckInterval = \"-1\"", "CheckInterval = \"1e308\"", "HedgeDelay = \"4.6e11\"", "Strategy = (ProxySqlStrategy)42", "ProbeInterval = \"abc\"",
        "{", "}", ";", "(", ")", "\"", "'", "=", ",", "get;", "set;", "init;", "ProxySqlPeer", "ProxySqlPeer?", "ProxySqlPeer[]", "int", "object",
        "Edge1", "Create", "Peers", "PeerNames", "ConfigurationSectionName", "DataSource", "OpenConnectionAsync", "Dispose",
        "class", "struct", "record", "interface", "namespace N;", "namespace N {", "#if X", "#endif", "#nullable disable", "/*", "*/", "//", "\n",
        "global::", "ProxySql.", "@class", "Edgé", "\u200b", "partial class Outer {", "where T : class", ": System.IDisposable", ": ProxySqlDatabases",
        "public partial ProxySqlPeer Edge9 { get; }", "public static partial ProxySqlPeer S { get; }", "public partial ProxySqlPeer this[int i] { get; }",
        "public static void Create() { }", "public int Peers => 0;", "[System.Obsolete]", "[ProxySqlDatabases] public partial class Second { public partial ProxySqlPeer E { get; } }",
    ];

    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "1e999", "-1", "\"Weight\": -1", "\"Weight\": \"heavy\"", "\"Weight\": 1.5", "\"Weight\": 99999999999999999999",
        "\"CheckInterval\": \"abc\"", "\"CheckInterval\": 5", "\"CheckInterval\": \"-00:00:01\"", "\"CheckInterval\": 1e308", "\"Peers\": []", "\"Peers\": {}", "\"Edge9\": {},",
        "\"ProxySql\": null", "\"ProxySql\": {}", "/*", "*/", "//", "\\u00", "\"\\ud800\"", "\uFEFF", "\"Enabled\": \"maybe\"", "\"Enabled\": 1", "\"Strategy\": \"Bogus\"",
        "\"Strategy\": 3", "0x10", "NaN", "'single'", "\"\"", "\"EDGE1\": {},", "\"Retries\": 3,", "\n",
    ];

    /// <summary>Inputs the mutations found that once made the generator emit code that does not compile.</summary>
    [Theory]
    [InlineData("namespace Shop.[Peer(\"\")];", "public partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "abstract partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public partial ProxySqlPeer Edge1 { get; } [Peer(\"edge-x\")] public partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public partial ProxySqlPeer Edge1 {private get; }")]
    [InlineData("namespace Shop.Data;", "file partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public partial ProxySqlPeer Edge1 {public get; }")]
    [InlineData("namespace Shop.Data;", "public partial ProxySqlPeer EdProxySql.ge1 { get; }")]
    [InlineData("namespace Shop.Data;", "unsafe public partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public public partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public private partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public virtual override partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public required partial ProxySqlPeer Edge1 { get; }")]
    [InlineData("namespace Shop.Data;", "public partial ProxySqlPeer Create { get; }")]
    public void Declarations_found_by_mutation_generate_nothing_uncompilable(string namespaceLine, string members)
    {
        var source = $"using ProxySql;\n{namespaceLine}\n[ProxySqlDatabases(\"ProxySql\")]\npublic partial class AppDatabases\n{{\n    {members}\n    public partial ProxySqlPeer Edge2 {{ get; }}\n}}\n";

        var (problems, _) = GeneratorRun.Check(source, appSettings: null);

        Assert.True(problems.Count == 0, $"{source}\n{string.Join("\n", problems)}");
    }

    /// <summary>
    /// Class declarations the mutations found (seeds 26857906, 310715839, 4216993): contextual keywords the compiler
    /// rejects as type names, a generated member's name, an accessibility a namespace member cannot have.
    /// </summary>
    [Theory]
    [InlineData("file")]
    [InlineData("required")]
    [InlineData("scoped")]
    [InlineData("record")]
    [InlineData("ConfigurationSectionName")]
    [InlineData("PeerNames")]
    [InlineData("Create")]
    [InlineData("AppDatabases", "private")]
    [InlineData("AppDatabases", "protected")]
    public void Class_names_found_by_mutation_generate_nothing_uncompilable(string className, string accessibility = "public")
    {
        var source = $"using ProxySql;\nnamespace Shop.Data;\n[ProxySqlDatabases(\"ProxySql\")]\n{accessibility} partial class {className}\n{{\n    public partial ProxySqlPeer Edge1 {{ get; }}\n}}\n";

        var (problems, _) = GeneratorRun.Check(source, appSettings: null);

        Assert.True(problems.Count == 0, $"{source}\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void Generator_fed_mutated_source_and_settings_never_crashes_and_emits_only_compilable_code()
    {
        var seed = ChaosSeed.Resolve();
        output.WriteLine(seed.ToString());
        var random = seed.NewRandom();
        var sourceMutator = new Mutator(random, SourceTokens);
        var jsonMutator = new Mutator(random, JsonTokens);
        var emitted = 0;
        var sw = Stopwatch.StartNew();

        var (baseline, baselineEmitted) = GeneratorRun.Check(ValidSource, ValidSettings);
        Assert.True(baseline.Count == 0 && baselineEmitted, $"the unmutated input must generate cleanly: {string.Join("\n", baseline)}");

        for (var i = 0; i < Mutations; i++)
        {
            // A third mutate the class, a third the settings, a third both.
            var kind = random.Next(3);
            var source = kind == 1 ? ValidSource : sourceMutator.Mutate(ValidSource);
            var settings = kind == 0 ? ValidSettings : jsonMutator.Mutate(ValidSettings);
            var (problems, didEmit) = GeneratorRun.Check(source, settings);
            Assert.True(
                problems.Count == 0,
                $"{seed}; mutation #{i}:\n--- source ---\n{source}\n--- appsettings.json ---\n{settings}\n--- problems ---\n{string.Join("\n", problems)}");
            if (didEmit)
                emitted++;
        }

        output.WriteLine($"hostile source: {Mutations} mutations in {sw.Elapsed.TotalSeconds:0.0} s; code emitted for {emitted}, nothing for {Mutations - emitted}");
        Assert.InRange(emitted, 1, Mutations - 1);
    }
}
