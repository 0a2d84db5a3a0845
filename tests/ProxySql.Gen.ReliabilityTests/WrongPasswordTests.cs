using System.Data.Common;
using ProxySql.ReliabilityTests.Infrastructure;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>
/// A wrong password (the known secret) on real MariaDB: what the caller gets names the peers and the failure, and the
/// password appears in no exception, log line, metric tag or activity.
/// </summary>
public sealed class WrongPasswordTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Wrong_password_on_every_peer_fails_with_access_denied_and_never_shows_the_password()
    {
        var server = await SharedMariaDb.GetAsync();
        await using var cluster = RelayCluster.Start(server, server, server);
        for (var i = 0; i < RelayCluster.Keys.Length; i++)
            cluster.Values[$"ProxySql:Peers:{RelayCluster.Keys[i]}:ConnectionString"] = $"Server=127.0.0.1;Port={cluster.Peers[i].Relay.Port};Password={HostileConfiguration.Secret}";
        using var capture = new TelemetryCapture();
        await using (var databases = cluster.CreateDatabases(capture.LoggerFactory))
        {
            // The first caller tries every peer; the next ones find them all Down and share one probe.
            var first = await Assert.ThrowsAnyAsync<DbException>(async () => await databases.OpenConnectionAsync().AsTask().WaitAsync(Bound));
            var later = await Assert.ThrowsAnyAsync<DbException>(async () => await databases.OpenConnectionAsync().AsTask().WaitAsync(Bound));
            output.WriteLine($"first: {first.GetType().Name}: {first.Message}");
            output.WriteLine($"later: {later.GetType().Name}: {later.Message}");
            Assert.Contains("Access denied", first.Message, StringComparison.Ordinal);
            SecretAssert.Absent(first.ToString(), "first caller's exception");
            SecretAssert.Absent(later.ToString(), "later caller's exception");
            SecretAssert.Absent(databases.DataSource.ConnectionString, "DataSource.ConnectionString");
            foreach (var peer in databases.Peers)
                SecretAssert.Absent($"{peer} {peer.LastError}", "peer " + peer.Name);
        }

        Assert.NotEmpty(capture.LogRecords);
        SecretAssert.Absent(capture);
        output.WriteLine($"scanned {capture.LogRecords.Count} log lines, {capture.Measurements} measurements, {capture.Activities} activities");
    }

    [Fact]
    public async Task Unavailable_exception_lists_every_peer_and_never_shows_the_password()
    {
        var server = await SharedMariaDb.GetAsync();
        await using var cluster = RelayCluster.Start(server, server, server);
        cluster.Values[$"ProxySql:Peers:{RelayCluster.Keys[0]}:ConnectionString"] += $";Password={HostileConfiguration.Secret}";
        cluster.Values["ProxySql:ConnectionString"] += ";Persist Security Info=true";
        using var capture = new TelemetryCapture();
        await using (var databases = cluster.CreateDatabases(capture.LoggerFactory))
        {
            await using (await databases.Edge2.OpenConnectionAsync())
            {
            }

            cluster.Peers[1].Set(RelayMode.Killed);
            cluster.Peers[2].Set(RelayMode.Paused);
            var unavailable = await Assert.ThrowsAsync<ProxySqlUnavailableException>(async () => await databases.OpenConnectionAsync().AsTask().WaitAsync(Bound));
            output.WriteLine(unavailable.Message);
            foreach (var peer in databases.Peers)
                Assert.Contains(peer.Name, unavailable.Message, StringComparison.Ordinal);
            Assert.Contains("Access denied", unavailable.Message, StringComparison.Ordinal);
            SecretAssert.Absent(unavailable.ToString(), "ProxySqlUnavailableException");
            SecretAssert.Absent(databases.DataSource.ConnectionString, "DataSource.ConnectionString");
        }

        SecretAssert.Absent(capture);
    }
}
