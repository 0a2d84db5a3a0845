using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql015InvalidSettingsJsonTests
{
    [Fact]
    public void Json_that_does_not_parse_is_reported_at_the_offending_character()
    {
        const string json = """
            {
              "Databases": {
                "ProxySql": {
                  "Peers": { "Edge1": { "ConnectionString": "Server=a" } }
                  "CheckInterval": 5
                }
              }
            }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        DiagnosticAssert.Reported(
            outcome,
            "PSQL015",
            "appsettings.json",
            "\"",
            "appsettings.json is not valid JSON: unexpected '\"'; expected ',' or '}'",
            after: "\"CheckInterval",
            generatesSource: true);
    }

    [Fact]
    public void Json_errors_are_not_reported_in_projects_without_a_databases_class()
    {
        var outcome = GeneratorHarness.Run("class Unrelated { }", ("appsettings.json", "{ nope"));

        Assert.Empty(outcome.GeneratorDiagnostics);
    }
}
