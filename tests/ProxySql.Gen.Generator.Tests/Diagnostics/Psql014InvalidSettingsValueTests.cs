using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql014InvalidSettingsValueTests
{
    [Theory]
    [InlineData("\"CheckInterval\": \"soon\"", "\"soon\"", "'Databases:ProxySql:CheckInterval' in appsettings.json must be a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as 30, but is \"soon\"")]
    [InlineData("\"ProbeInterval\": 0", "0", "'Databases:ProxySql:ProbeInterval' in appsettings.json must be a positive TimeSpan of at most 24 days such as \"00:00:30\" or a positive number of seconds such as 30, but is 0")]
    [InlineData("\"Strategy\": \"Fastest\"", "\"Fastest\"", "'Databases:ProxySql:Strategy' in appsettings.json must be one of Random, RoundRobin, LeastConnections, Ordered, but is \"Fastest\"")]
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
              "Peers": { "Edge1": { "Weight": "2", "Enabled": "False" }, "proxysql-b": { "Weight": 0, "Enabled": true } } } } }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        Assert.Empty(outcome.GeneratorDiagnostics);
    }
}
