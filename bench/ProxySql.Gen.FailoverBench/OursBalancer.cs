using Microsoft.Extensions.Configuration;
using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>
/// ProxySql.Gen with its defaults: only the shared connection string and the three peers are configured, plus the
/// <paramref name="overrides"/> a variant names (e.g. <c>SlowStartWindow</c> 0).
/// </summary>
internal sealed class OursBalancer : IBalancer
{
    private readonly FailoverDatabases databases;

    public OursBalancer(string name, string sharedConnectionString, int port, IReadOnlyDictionary<string, string>? overrides = null)
    {
        Name = name;
        var values = new Dictionary<string, string?> { ["ProxySql:ConnectionString"] = sharedConnectionString };
        for (int i = 0; i < PeerSet.Addresses.Length; i++)
        {
            values[$"ProxySql:Peers:Edge{i + 1}:ConnectionString"] = $"Server={PeerSet.Host(i)};Port={port}";
        }

        foreach ((string key, string value) in overrides ?? new Dictionary<string, string>())
        {
            values["ProxySql:" + key] = value;
        }

        databases = new FailoverDatabases(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    public string Name { get; }

    public IReadOnlyList<ProxySqlPeer> Peers => databases.Peers;

    public ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken) => databases.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => databases.DisposeAsync();
}
