using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql008InvalidIntervalTests
{
    [Theory]
    [InlineData("CheckInterval", "0")]
    [InlineData("ConnectTimeout", "-1")]
    [InlineData("HedgeDelay", "00:00:00")]
    [InlineData("ProbeInterval", "soon")]
    [InlineData("CheckInterval", "1,5")]
    [InlineData("CheckInterval", "25.00:00:00")]
    [InlineData("ProbeInterval", "2073601")]
    [InlineData("ProbeTimeout", "0")]
    [InlineData("ProbeTimeout", "25.00:00:00")]
    public void Interval_that_is_not_positive_is_over_24_days_or_does_not_parse_is_reported_on_the_argument(string name, string value)
    {
        var outcome = GeneratorHarness.Run($$"""
            using ProxySql;
            [ProxySqlDatabases("ProxySql", {{name}} = "{{value}}")]
            public partial class AppDatabases
            {
                public partial ProxySqlPeer Edge1 { get; }
            }
            """);

        DiagnosticAssert.Reported(
            outcome,
            "PSQL008",
            "Input.cs",
            $"\"{value}\"",
            $"{name} = \"{value}\" is not a valid interval; write a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as \"30\" or \"0.5\"");
    }
}
