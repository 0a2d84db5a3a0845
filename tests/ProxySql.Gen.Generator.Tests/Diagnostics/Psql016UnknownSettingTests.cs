using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql016UnknownSettingTests
{
    [Fact]
    public void Misspelt_peer_setting_is_reported_on_the_json_key()
    {
        const string json = """
            {
              "Databases": { "ProxySql": { "Peers": { "Edge1": { "ConnectionString": "Server=a", "Wieght": 2 } } } }
            }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.Development.json", json));

        DiagnosticAssert.Reported(
            outcome,
            "PSQL016",
            "appsettings.Development.json",
            "\"Wieght\"",
            "'Databases:ProxySql:Peers:Edge1:Wieght' in appsettings.Development.json is not a setting; use one of ConnectionString, Weight, Enabled (keys are case-insensitive)",
            generatesSource: true);
    }

    [Fact]
    public void Misspelt_section_setting_is_reported_on_the_json_key()
    {
        const string json = """
            { "Databases": { "ProxySql": { "CheckIntreval": "00:00:05" } } }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        DiagnosticAssert.Reported(
            outcome,
            "PSQL016",
            "appsettings.json",
            "\"CheckIntreval\"",
            "'Databases:ProxySql:CheckIntreval' in appsettings.json is not a setting; use one of ConnectionString, CheckInterval, ConnectTimeout, HedgeDelay, ProbeInterval, Strategy, ProbeQuery, ProbeTimeout, MaxHedgedAttempts, SlowStartWindow, ShutdownSessionsOnMarkDown, Peers, Hosting (keys are case-insensitive)",
            generatesSource: true);
    }

    [Fact]
    public void The_hosting_switches_section_is_a_known_setting()
    {
        const string json = """
            { "Databases": { "ProxySql": { "Hosting": { "DisableTracing": true }, "Peers": { "Edge1": { "ConnectionString": "Server=a" } } } } }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        Assert.DoesNotContain(outcome.GeneratorDiagnostics, d => d.Id == "PSQL016");
        Assert.NotEmpty(outcome.Sources);
    }
}
