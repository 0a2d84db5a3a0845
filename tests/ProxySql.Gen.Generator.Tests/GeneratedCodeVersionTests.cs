using System.Reflection;
using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests;

/// <summary>[GeneratedCode] carries the generator's own version, so a support question can tell which package wrote the code.</summary>
public sealed class GeneratedCodeVersionTests
{
    [Fact]
    public void GeneratedCode_attribute_carries_the_generator_assembly_version_without_build_metadata()
    {
        var informational = typeof(ProxySqlDatabasesGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var expected = informational.Split('+')[0];

        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        var generated = outcome.Sources.Single().SourceText.ToString();
        Assert.Contains($"[global::System.CodeDom.Compiler.GeneratedCode(\"ProxySql.Gen.Generator\", \"{expected}\")]", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("\"1.0\"", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("+", expected, StringComparison.Ordinal);
        Assert.Equal(typeof(ProxySqlDatabasesGenerator).Assembly.GetName().Version!.ToString(3), expected);
    }
}
