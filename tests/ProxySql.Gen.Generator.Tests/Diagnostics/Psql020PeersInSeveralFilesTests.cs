using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql020PeersInSeveralFilesTests
{
    private const string Standby = """
        using ProxySql;
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Standby { get; }
        }
        """;

    private const string Primary = """
        using ProxySql;
        [ProxySqlDatabases(Strategy = ProxySqlStrategy.Ordered)]
        public partial class AppDatabases
        {
            public partial ProxySqlPeer Primary { get; }
        }
        """;

    [Fact]
    public void Peers_in_two_files_are_reported_on_the_first_peer_of_the_later_file()
    {
        var outcome = GeneratorHarness.RunFiles(("/src/A/Primary.cs", Primary), ("/src/B/Standby.cs", Standby));

        var diagnostic = outcome.Single("PSQL020");
        Assert.Equal("/src/B/Standby.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal("Standby", outcome.LocatedText(diagnostic));
        Assert.Equal(
            "'AppDatabases' declares peers in 2 files (Primary.cs, Standby.cs), so their order (Ordered's primary and standbys, RoundRobin's turn, Peers) is the files' path order, not one you can read; declare every peer in one file, or suppress PSQL020 to accept that order",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Order_across_files_is_the_file_path_order_whatever_order_the_compilation_lists_them_in()
    {
        var listedFirst = GeneratorHarness.RunFiles(("/src/A/Primary.cs", Primary), ("/src/B/Standby.cs", Standby));
        var listedLast = GeneratorHarness.RunFiles(("/src/B/Standby.cs", Standby), ("/src/A/Primary.cs", Primary));

        var expected = listedFirst.Sources.Single().SourceText.ToString();
        Assert.Equal(expected, listedLast.Sources.Single().SourceText.ToString());
        Assert.True(expected.IndexOf("Name = \"Primary\"", StringComparison.Ordinal) < expected.IndexOf("Name = \"Standby\"", StringComparison.Ordinal), expected);
        Assert.True(listedLast.GeneratedCodeDiagnostics.IsEmpty, GeneratorOutcome.Render(listedLast.GeneratedCodeDiagnostics));
    }

    [Fact]
    public void Suppressing_it_keeps_the_generated_code()
    {
        var suppressed = "#pragma warning disable PSQL020 // the order across files is accepted\n" + Standby;

        var outcome = GeneratorHarness.RunFiles(("/src/A/Primary.cs", Primary), ("/src/B/Standby.cs", suppressed));

        Assert.True(outcome.Single("PSQL020").IsSuppressed);
        Assert.Single(outcome.Sources);
        Assert.DoesNotContain(outcome.Output.GetDiagnostics(), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error && d.Id != "CS1591");
    }

    [Fact]
    public void Two_partial_declarations_in_one_file_are_not_reported_and_keep_their_order()
    {
        var outcome = GeneratorHarness.Run(Primary + "\n" + Standby.Replace("using ProxySql;", string.Empty, StringComparison.Ordinal));

        Assert.Empty(outcome.GeneratorDiagnostics);
        var generated = outcome.Sources.Single().SourceText.ToString();
        Assert.True(generated.IndexOf("Name = \"Primary\"", StringComparison.Ordinal) < generated.IndexOf("Name = \"Standby\"", StringComparison.Ordinal), generated);
    }

    [Fact]
    public void Peers_in_one_file_beside_other_parts_of_the_class_are_not_reported()
    {
        const string helpers = """
            public partial class AppDatabases
            {
                public string Describe() => "two peers";
            }
            """;

        var outcome = GeneratorHarness.RunFiles(("/src/A/Helpers.cs", helpers), ("/src/B/Peers.cs", Primary.Replace("Primary { get; }", "Primary { get; }\n    public partial ProxySqlPeer Standby { get; }", StringComparison.Ordinal)));

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Single(outcome.Sources);
    }
}
