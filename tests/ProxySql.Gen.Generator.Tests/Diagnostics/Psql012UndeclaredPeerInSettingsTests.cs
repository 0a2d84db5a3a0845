using ProxySql.Generator.Tests.Infrastructure;

namespace ProxySql.Generator.Tests.Diagnostics;

public sealed class Psql012UndeclaredPeerInSettingsTests
{
    [Fact]
    public void Peer_key_the_class_does_not_declare_is_reported_on_the_json_key()
    {
        const string json = """
            {
              "Databases": {
                "proxysql": {
                  "Peers": {
                    "edge1": { "ConnectionString": "Server=a" },
                    "proxysql-b": { "ConnectionString": "Server=b" },
                    "Edge3": { "ConnectionString": "Server=c" }
                  }
                }
              }
            }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.json", json));

        DiagnosticAssert.Reported(
            outcome,
            "PSQL012",
            "appsettings.json",
            "\"Edge3\"",
            "Peer 'Edge3' under 'Databases:ProxySql:Peers' in appsettings.json is not declared by 'AppDatabases'; fix the key (declared: Edge1, proxysql-b) or declare a peer property for it",
            generatesSource: true);
    }

    [Fact]
    public void Environment_overlay_is_checked_for_undeclared_peers_too()
    {
        const string json = """
            { "Databases:ProxySql": { "Peers": { "Edge2": { "Weight": 2 } } } }
            """;

        var outcome = GeneratorHarness.Run(SettingsInput.Source, ("appsettings.Development.json", json));

        DiagnosticAssert.Reported(
            outcome,
            "PSQL012",
            "appsettings.Development.json",
            "\"Edge2\"",
            "Peer 'Edge2' under 'Databases:ProxySql:Peers' in appsettings.Development.json is not declared by 'AppDatabases'; fix the key (declared: Edge1, proxysql-b) or declare a peer property for it",
            generatesSource: true);
    }
}
