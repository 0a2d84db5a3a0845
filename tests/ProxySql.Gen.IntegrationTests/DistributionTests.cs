using MySqlConnector;
using Xunit.Abstractions;

namespace ProxySql.IntegrationTests;

/// <summary>Each strategy spreads opens over real peers as its weights say.</summary>
public sealed class DistributionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Random", 1, 2, 1)]
    [InlineData("RoundRobin", 1, 2, 1)]
    [InlineData("LeastConnections", 1, 1, 1)]
    [InlineData("Random", 1, 1, 0)]
    public async Task Over_3000_opens_each_peers_share_is_within_5_points_of_its_weights_share(string strategy, int w1, int w2, int w3)
    {
        int[] weights = [w1, w2, w3];
        await using var rig = await PeerRig.StartAsync(strategy, weights: weights);
        await using var databases = await rig.CreateDatabasesAsync();
        var ports = rig.Relays.Select(r => r.Port).ToArray();
        var counts = new int[3];
        for (var i = 0; i < 3000; i++)
        {
            await using var connection = await databases.OpenConnectionAsync();
            counts[Array.IndexOf(ports, (int)new MySqlConnectionStringBuilder(connection.ConnectionString).Port)]++;
        }

        var total = weights.Sum();
        output.WriteLine($"{strategy} weights {string.Join("/", weights)}: {string.Join(", ", counts.Select((c, i) => $"Edge{i + 1} {c / 30.0:0.0}% (target {100.0 * weights[i] / total:0.0}%)"))}");
        for (var i = 0; i < 3; i++)
            Assert.InRange(counts[i] / 3000.0, ((double)weights[i] / total) - 0.05, ((double)weights[i] / total) + 0.05);
    }
}
