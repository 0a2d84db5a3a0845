using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql014InvalidSettingsValueTests
{
    [Theory]
    [InlineData("\"CheckInterval\": \"soon\"", "\"soon\"", "'Databases:ProxySql:CheckInterval' in appsettings.json must be a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as 30, but is \"soon\"")]
    [InlineData("\"ProbeInterval\": 0", "0", "'Databases:ProxySql:ProbeInterval' in appsettings.json must be a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as 30, but is 0")]
    [InlineData("\"Strategy\": \"Fastest\"", "\"Fastest\"", "'Databases:ProxySql:Strategy' in appsettings.json must be one of Random, RoundRobin, LeastConnections, Ordered, LoadAware, but is \"Fastest\"")]
    [InlineData("\"ProbeTimeout\": \"00:00:00\"", "\"00:00:00\"", "'Databases:ProxySql:ProbeTimeout' in appsettings.json must be a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as 30, but is \"00:00:00\"")]
    [InlineData("\"SlowStartWindow\": -1", "-1", "'Databases:ProxySql:SlowStartWindow' in appsettings.json must be 0 (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as 10, but is -1")]
    [InlineData("\"SlowStartWindow\": \"25.00:00:00\"", "\"25.00:00:00\"", "'Databases:ProxySql:SlowStartWindow' in appsettings.json must be 0 (off) or a positive TimeSpan of at most 24 days such as \"00:00:10\" or a number of seconds such as 10, but is \"25.00:00:00\"")]
    [InlineData("\"MaxHedgedAttempts\": 64", "64", "'Databases:ProxySql:MaxHedgedAttempts' in appsettings.json must be a whole number from 0 to 63, but is 64")]
    [InlineData("\"MaxHedgedAttempts\": 1.5", "1.5", "'Databases:ProxySql:MaxHedgedAttempts' in appsettings.json must be a whole number from 0 to 63, but is 1.5")]
    [InlineData("\"MaxHedgedAttempts\": \"many\"", "\"many\"", "'Databases:ProxySql:MaxHedgedAttempts' in appsettings.json must be a whole number from 0 to 63, but is \"many\"")]
    [InlineData("\"ProbeQuery\": \" \"", "\" \"", "'Databases:ProxySql:ProbeQuery' in appsettings.json must be one non-empty SQL statement (no ';' before the end) such as \"SELECT 1\", but is \" \"")]
    [InlineData("\"ProbeQuery\": \"SELECT 1; SELECT 2\"", "\"SELECT 1; SELECT 2\"", "'Databases:ProxySql:ProbeQuery' in appsettings.json must be one non-empty SQL statement (no ';' before the end) such as \"SELECT 1\", but is \"SELECT 1; SELECT 2\"")]
    [InlineData("\"ProbeQuery\": [ \"SELECT 1\" ]", "[ \"SELECT 1\" ]", "'Databases:ProxySql:ProbeQuery' in appsettings.json must be one non-empty SQL statement (no ';' before the end) such as \"SELECT 1\", but is an array")]
    [InlineData("\"ShutdownSessionsOnMarkDown\": \"on\"", "\"on\"", "'Databases:ProxySql:ShutdownSessionsOnMarkDown' in appsettings.json must be true or false, but is \"on\"")]
    [InlineData("\"ConnectionString\": { \"Server\": \"a\" }", "{ \"Server\": \"a\" }", "'Databases:ProxySql:ConnectionString' in appsettings.json must be a string, but is an object")]
    public void Section_value_of_the_wrong_type_is_reported_on_the_json_value(string setting, string value, string message)
    {
        var json = $$"""
            {
              "Databases": { "ProxySql": { {{setting}} } }
            }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        DiagnosticAssert.Reported(outcome, "PSQL014", "appsettings.json", value, message, generatesSource: true);
    }

    [Theory]
    [InlineData("\"Weight\": \"two\"", "\"two\"", "'Databases:ProxySql:Peers:Edge1:Weight' in appsettings.Development.json must be a whole number of 0 or more, but is \"two\"")]
    [InlineData("\"Weight\": -1", "-1", "'Databases:ProxySql:Peers:Edge1:Weight' in appsettings.Development.json must be a whole number of 0 or more, but is -1")]
    [InlineData("\"Weight\": 1.5", "1.5", "'Databases:ProxySql:Peers:Edge1:Weight' in appsettings.Development.json must be a whole number of 0 or more, but is 1.5")]
    [InlineData("\"Enabled\": \"yes\"", "\"yes\"", "'Databases:ProxySql:Peers:Edge1:Enabled' in appsettings.Development.json must be true or false, but is \"yes\"")]
    public void Peer_value_of_the_wrong_type_is_reported_on_the_json_value(string setting, string value, string message)
    {
        var json = $$"""
            {
              "Databases": { "ProxySql": { "Peers": { "Edge1": { "ConnectionString": "Server=a", {{setting}} } } } }
            }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.Development.json", json));

        DiagnosticAssert.Reported(outcome, "PSQL014", "appsettings.Development.json", value, message, generatesSource: true);
    }

    [Fact]
    public void Values_written_as_strings_are_accepted_as_configuration_binds_them()
    {
        const string json = """
            { "Databases": { "ProxySql": { "CheckInterval": 30, "HedgeDelay": "0.05", "Strategy": "roundrobin",
              "probeQuery": "SELECT 1;", "ProbeTimeout": "0.5", "MaxHedgedAttempts": "0", "SlowStartWindow": 0, "ShutdownSessionsOnMarkDown": "True",
              "Peers": { "Edge1": { "Weight": "2", "Enabled": "False" }, "proxysql-b": { "Weight": 0, "Enabled": true } } } } }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        Assert.Empty(outcome.GeneratorDiagnostics);
    }

    [Theory]
    [InlineData("LoadAware")]
    [InlineData("loadaware")]
    [InlineData(" Ordered ")]
    public void Every_strategy_name_is_accepted_in_any_case(string strategy)
    {
        var json = $$"""
            { "Databases": { "ProxySql": { "Strategy": "{{strategy}}" } } }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        Assert.Empty(outcome.GeneratorDiagnostics);
    }
}
