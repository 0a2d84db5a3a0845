using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql013PeerMissingFromSettingsTests
{
    private const string Json = """
        {
          "Databases": {
            "ProxySql": {
              "Peers": {
                "Edge1": { "ConnectionString": "Server=a" }
              }
            }
          }
        }
        """;

    [Fact]
    public void Declared_peer_missing_from_appsettings_json_is_reported_on_its_Peers_key()
    {
        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", Json));

        DiagnosticAssert.Reported(
            outcome,
            "PSQL013",
            "appsettings.json",
            "\"Peers\"",
            "'AppDatabases' declares peer 'Edge2' but 'Databases:ProxySql:Peers' in appsettings.json has no key 'proxysql-b'; add it or remove the peer property",
            generatesSource: true);
    }

    [Fact]
    public void Environment_overlay_may_configure_only_some_peers()
    {
        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.Production.json", Json));

        Assert.Empty(outcome.GeneratorDiagnostics);
    }

    [Fact]
    public void Settings_without_the_section_are_not_checked()
    {
        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", """{ "Logging": { "LogLevel": { "Default": "Warning" } } }"""));

        Assert.Empty(outcome.GeneratorDiagnostics);
    }
}
