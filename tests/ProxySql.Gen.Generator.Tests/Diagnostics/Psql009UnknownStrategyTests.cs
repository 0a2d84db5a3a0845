using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql009UnknownStrategyTests
{
    [Fact]
    public void Undefined_strategy_value_is_reported_on_the_argument()
    {
        var outcome = GeneratorHarness.Run("""
            using ProxySql;
            [ProxySqlDatabases(Strategy = (ProxySqlStrategy)9)]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL009",
            "Input.cs",
            "(ProxySqlStrategy)9",
            "Strategy 9 is not a ProxySqlStrategy; use one of Random, RoundRobin, LeastConnections, Ordered, LoadAware");
    }
}
