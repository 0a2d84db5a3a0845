using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.IntegrationTests;

/// <summary>
/// Two balancers with the same peers (two containers in one test host, two generated classes) and the application's
/// own <c>new MySqlConnection(sameString)</c> each keep their own pool: one balancer draining a peer or being disposed
/// closes its own idle sessions and nobody else's. Judged by the server's session ids (<c>CONNECTION_ID()</c>): a
/// pool whose idle sessions survived hands the same sessions out again.
/// </summary>
public sealed class PoolIsolationTests(ITestOutputHelper output)
{
    /// <summary>Sessions each pool holds idle on the peer.</summary>
    private const int Sessions = 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Draining_or_disposing_one_balancer_leaves_the_idle_sessions_of_another_balancer_and_of_plain_connections_to_the_same_peer()
    {
        await using var rig = await PeerRig.StartAsync();
        var server = rig.Server;

        // the first balancer probes often, so it notices the pause; the second never probes during the test
        var probingConfiguration = rig.BuildConfiguration();
        probingConfiguration["ProxySql:ProbeInterval"] = "0.5";
        await using var first = await rig.CreateDatabasesAsync(probingConfiguration);
        await using var second = await rig.CreateDatabasesAsync();
        var peerConnectionString = first.Edge1.Settings.ConnectionString;
        Assert.Equal(peerConnectionString, second.Edge1.Settings.ConnectionString);
        Func<CancellationToken, ValueTask<MySqlConnection>> openPlain = async cancellationToken =>
        {
            var connection = new MySqlConnection(peerConnectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        };

        try
        {
            var firstIds = await LeaseAndReturnAsync(first.Edge1.OpenConnectionAsync);
            var secondIds = await LeaseAndReturnAsync(second.Edge1.OpenConnectionAsync);
            var plainIds = await LeaseAndReturnAsync(openPlain);
            output.WriteLine($"idle on Edge1: first balancer {Ids(firstIds)}, second {Ids(secondIds)}, plain driver {Ids(plainIds)}");

            // three pools: none was handed another's idle sessions
            Assert.Equal(3 * Sessions, firstIds.Union(secondIds).Union(plainIds).Count());

            // 1. The node pauses (new connects refused, open sessions answer): the first balancer drains Edge1 and closes
            //    its idle sessions there. The others' idle sessions are all that can serve them now: a connect would fail.
            rig.Relays[0].Mode = RelayMode.Paused;
            await Eventually.TrueAsync(() => first.Edge1.State == ProxySqlPeerState.Draining, Deadline, () => rig.Describe(first));
            await Eventually.TrueAsync(async () => await AliveAsync(server, firstIds) == 0, Deadline, () => $"the first balancer's idle sessions {Ids(firstIds)} are still open: {rig.Describe(first)}");
            Assert.Equal(ProxySqlPeerState.Up, second.Edge1.State);
            Assert.Equal(secondIds, await LeaseAndReturnAsync(second.Edge1.OpenConnectionAsync));
            Assert.Equal(plainIds, await LeaseAndReturnAsync(openPlain));
            rig.Relays[0].Mode = RelayMode.Up;
            await Eventually.TrueAsync(() => first.Edge1.State == ProxySqlPeerState.Up, Deadline, () => rig.Describe(first));

            // 2. The first balancer fills its fresh pool again and is disposed: its sessions close, nobody else's.
            var refilledIds = await LeaseAndReturnAsync(first.Edge1.OpenConnectionAsync);
            Assert.Empty(refilledIds.Intersect(secondIds.Union(plainIds)));
            await first.DisposeAsync();
            await Eventually.TrueAsync(async () => await AliveAsync(server, refilledIds) == 0, Deadline, () => $"the disposed balancer's idle sessions {Ids(refilledIds)} are still open");
            Assert.Equal(Sessions, await AliveAsync(server, secondIds));
            Assert.Equal(Sessions, await AliveAsync(server, plainIds));
            Assert.Equal(secondIds, await LeaseAndReturnAsync(second.Edge1.OpenConnectionAsync));
            Assert.Equal(plainIds, await LeaseAndReturnAsync(openPlain));
            output.WriteLine($"after the first balancer drained and was disposed, the second and the plain driver got their own sessions back: {Ids(secondIds)}, {Ids(plainIds)}");
        }
        finally
        {
            rig.Relays[0].Mode = RelayMode.Up;
            await MySqlConnection.ClearPoolAsync(new MySqlConnection(peerConnectionString));
        }
    }

    /// <summary>Leases <see cref="Sessions"/> connections at once (so each is its own session), reads their server ids and returns them to the pool.</summary>
    private static async Task<SortedSet<long>> LeaseAndReturnAsync(Func<CancellationToken, ValueTask<MySqlConnection>> open)
    {
        var leased = new List<MySqlConnection>();
        try
        {
            var ids = new SortedSet<long>();
            for (var i = 0; i < Sessions; i++)
            {
                var connection = await open(CancellationToken.None);
                leased.Add(connection);
                await using var command = new MySqlCommand("SELECT CONNECTION_ID()", connection);
                ids.Add(Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
            }

            return ids;
        }
        finally
        {
            foreach (var connection in leased)
                await connection.DisposeAsync();
        }
    }

    /// <summary>How many of the sessions <paramref name="ids"/> are still open on the server.</summary>
    private static async Task<int> AliveAsync(MariaDbServer server, IEnumerable<long> ids)
    {
        var count = await server.ScalarRootAsync($"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID IN ({string.Join(",", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)))})");
        return Convert.ToInt32(count, CultureInfo.InvariantCulture);
    }

    private static string Ids(IEnumerable<long> ids) => "#" + string.Join(" #", ids);
}
