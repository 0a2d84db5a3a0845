using Microsoft.Extensions.Configuration;
using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>ProxySql.Gen with its defaults: only the shared connection string and the three peers are configured.</summary>
internal sealed class OursBalancer : IBalancer
{
    private readonly FailoverDatabases databases;

    public OursBalancer(string sharedConnectionString, int port)
    {
        var values = new Dictionary<string, string?> { ["ProxySql:ConnectionString"] = sharedConnectionString };
        for (int i = 0; i < PeerSet.Addresses.Length; i++)
        {
            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server={PeerSet.Host(i)};Port={port}";
        }

        databases = new FailoverDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    public string Name => "ProxySql.Gen";

    public ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken) => databases.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => databases.DisposeAsync();
}
