using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql019InvalidSettingArgumentTests
{
    [Theory]
    [InlineData("SlowStartWindow = \"-1\"", "\"-1\"", "SlowStartWindow = \"-1\" is not valid; write \"0\" (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as \"10\"")]
    [InlineData("SlowStartWindow = \"soon\"", "\"soon\"", "SlowStartWindow = \"soon\" is not valid; write \"0\" (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as \"10\"")]
    [InlineData("SlowStartWindow = \"24.00:00:01\"", "\"24.00:00:01\"", "SlowStartWindow = \"24.00:00:01\" is not valid; write \"0\" (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as \"10\"")]
    [InlineData("MaxHedgedAttempts = -1", "-1", "MaxHedgedAttempts = -1 is not valid; use a whole number from 0 (no hedging) to 63 (a balancer has at most 64 peers)")]
    [InlineData("MaxHedgedAttempts = 64", "64", "MaxHedgedAttempts = 64 is not valid; use a whole number from 0 (no hedging) to 63 (a balancer has at most 64 peers)")]
    [InlineData("ProbeQuery = \"  \"", "\"  \"", "ProbeQuery = \"  \" is not valid; use one statement that ProxySQL sends to a backend, e.g. \"SELECT 1\"")]
    [InlineData("ProbeQuery = null", "null", "ProbeQuery = null is not valid; use one statement that ProxySQL sends to a backend, e.g. \"SELECT 1\"")]
    [InlineData("ProbeQuery = \"SELECT 1; SELECT 2\"", "\"SELECT 1; SELECT 2\"", "ProbeQuery = \"SELECT 1; SELECT 2\" is not valid; use one statement (no ';' before the end), e.g. \"SELECT 1\"")]
    public void Out_of_range_argument_is_reported_on_the_argument_and_nothing_is_generated(string argument, string located, string message)
    {
        var outcome = GeneratorHarness.Run($$"""
            using ProxySql;
            [ProxySqlDatabases("ProxySql", {{argument}})]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(outcome, "PSQL019", "Input.cs", located, message);
    }

    [Theory]
    [InlineData("SlowStartWindow = \"0\"")]
    [InlineData("SlowStartWindow = \"00:00:00\"")]
    [InlineData("MaxHedgedAttempts = 0")]
    [InlineData("MaxHedgedAttempts = 63")]
    [InlineData("ProbeQuery = \"SELECT 1;\"")]
    public void Bounds_are_accepted(string argument)
    {
        var outcome = GeneratorHarness.Run($$"""
            using ProxySql;
            [ProxySqlDatabases("ProxySql", {{argument}})]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Single(outcome.Sources);
    }
}
