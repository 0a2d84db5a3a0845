using System.Globalization;
using MySqlConnector;
using ProxySql.ReliabilityTests.Infrastructure;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.ReliabilityTests;

/// <summary>
/// Faults on the MariaDB side, under load: a server killed and restarted (and stopped cleanly and restarted), and a
/// server out of connections (1040). Peer Edge1 is on the faulty server; Edge2 and proxysql-c on a healthy one.
/// </summary>
public sealed class ServerFaultTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Restarted_server_fails_only_the_statements_it_cut_with_the_drivers_error_and_opens_succeed_throughout()
    {
        await using var faulty = await MariaDbServer.StartAsync();
        var healthy = await SharedMariaDb.GetAsync();
        await using var cluster = RelayCluster.Start(faulty, healthy, healthy);
        var table = "ops_" + cluster.RunTag.Replace("-", "_", StringComparison.Ordinal);
        foreach (var server in new[] { faulty, healthy })
            await server.ExecuteRootAsync($"CREATE TABLE `app`.`{table}` (token VARCHAR(32) NOT NULL, peer INT NOT NULL, KEY (token)) ENGINE=InnoDB");
        await using var databases = cluster.CreateDatabases();
        var workload = new TokenWorkload(databases, cluster, table);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(Workers, stop.Token);
        string Describe() => $"{cluster.Describe(databases)}; opens {workload.Opens} (Edge1 {workload.OpensOn(0)}), {workload.FailedStatements.Count} failed statements, {workload.OpenErrors.Count} open errors";

        await Eventually.TrueAsync(() => workload.OpensOn(0) >= 200, Deadline, Describe);
        var cutByKill = await RestartUnderLoadAsync(() => faulty.KillAsync(), faulty, workload, Describe);
        var cutByStop = await RestartUnderLoadAsync(() => faulty.StopAsync(), faulty, workload, Describe);
        await stop.CancelAsync();
        await run.WaitAsync(Deadline);

        // On the servers themselves: no statement ran twice, and every acknowledged one is there, on its peer's server.
        var rows = new Dictionary<string, (int Count, int Peer)>(StringComparer.Ordinal);
        foreach (var server in new[] { faulty, healthy })
        {
            await using var connection = new MySqlConnection(server.RootConnectionString);
            await connection.OpenAsync();
            await using var command = new MySqlCommand($"SELECT token, COUNT(*), MIN(peer) FROM `app`.`{table}` GROUP BY token", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var token = reader.GetString(0);
                var count = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
                rows[token] = (rows.TryGetValue(token, out var seen) ? seen.Count + count : count, reader.GetInt32(2));
            }
        }

        var failed = workload.FailedStatements.ToList();
        var executedAnyway = failed.Count(f => rows.ContainsKey(f.Token));
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"restart: {Workers} workers, {workload.Opens} opens (Edge1 {workload.OpensOn(0)}, Edge2 {workload.OpensOn(1)}, proxysql-c {workload.OpensOn(2)}), {workload.Acknowledged.Count} statements acknowledged, {failed.Count} failed (kill cut {cutByKill}, clean stop cut {cutByStop}; {executedAnyway} of them had run before the cut), {workload.OpenErrors.Count} open errors; 2 faults (kill + restart, stop + restart)"));
        foreach (var f in failed.Take(5))
            output.WriteLine($"  {RelayCluster.Keys[f.Peer]}: {f.Error.GetType().Name}: {f.Error.Message}");

        Assert.Empty(workload.Hangs);
        Assert.True(workload.OpenErrors.Count == 0, $"open errors while Edge2 and proxysql-c could serve: {string.Join(" | ", workload.OpenErrors.Take(5).Select(e => e.GetType().Name + ": " + e.Message))}");
        Assert.All(failed, f => Assert.True(f.Peer == 0 && f.Error is MySqlException, $"a statement failed on {RelayCluster.Keys[f.Peer]} with {f.Error.GetType().Name} (only Edge1's, with the driver's MySqlException, may): {f.Error}"));
        Assert.True(failed.Count <= 2 * Workers, $"{failed.Count} failed statements: more than the sessions in use at the two faults");
        var duplicated = rows.Where(r => r.Value.Count > 1).Select(r => r.Key).ToList();
        Assert.True(duplicated.Count == 0, $"statements that ran more than once: {string.Join(", ", duplicated.Take(10))}");
        var missing = workload.Acknowledged.Where(a => !rows.TryGetValue(a.Token, out var row) || row.Peer != a.Peer).Select(a => a.Token).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged statements are not on their peer's server: {string.Join(", ", missing.Take(10))}");
        Assert.Equal(ProxySqlPeerState.Up, databases.Edge1.State);
    }

    [Fact]
    public async Task Exhausted_max_connections_on_one_peer_moves_traffic_to_the_others_without_an_error()
    {
        await using var limited = await MariaDbServer.StartAsync(new MariaDbServerOptions { MaxConnections = MariaDbServer.MinimumMaxConnections });
        var healthy = await SharedMariaDb.GetAsync();
        await using var cluster = RelayCluster.Start(limited, healthy, healthy);
        cluster.Values["ProxySql:Strategy"] = "Ordered"; // Edge1 first: it takes every open it can
        using var markDowns = new MarkDownCounter();
        await using var databases = cluster.CreateDatabases();
        var workload = ChaosWorkload.Create(databases, cluster);
        using var stop = new CancellationTokenSource();
        var run = workload.RunAsync(32, stop.Token);

        await Eventually.TrueAsync(
            () => markDowns.Count("Edge1", "too-many-connections") >= 2 && workload.Opens >= 1500,
            Deadline,
            () => $"{cluster.Describe(databases)}; {markDowns}; {workload.Summary()}");
        await stop.CancelAsync();
        await run.WaitAsync(Deadline);

        var byPeer = workload.OpensByPeer();
        output.WriteLine($"max_connections=10 on Edge1 (Ordered), 32 workers: {workload.Summary()}; {markDowns}");
        Assert.True(workload.OpenFailures.Count == 0, $"open errors: {string.Join(" | ", workload.OpenFailures.Take(5).Select(f => f.Error.Message))}");
        Assert.True(workload.StatementFailures.Count == 0, $"statement errors: {string.Join(" | ", workload.StatementFailures.Take(5).Select(f => f.Error.Message))}");
        Assert.Empty(workload.Hangs);
        Assert.True(byPeer[0] > 0 && byPeer[1] + byPeer[2] > 0, $"opens by peer {string.Join("/", byPeer)}: Edge1 should serve what it can and the rest move on");
    }

    /// <summary>Takes the faulty server down under load, waits for the others to carry 500 opens, restarts it and waits until Edge1 serves again.</summary>
    private async Task<int> RestartUnderLoadAsync(Func<Task> takeDown, MariaDbServer faulty, TokenWorkload workload, Func<string> describe)
    {
        var failedBefore = workload.FailedStatements.Count;
        await takeDown();
        var opensAtFault = workload.Opens;
        await Eventually.TrueAsync(() => workload.Opens >= opensAtFault + 500, Deadline, describe);
        await faulty.StartAsync();
        var edge1AtRestart = workload.OpensOn(0);
        await Eventually.TrueAsync(() => workload.OpensOn(0) >= edge1AtRestart + 100, Deadline, describe);
        output.WriteLine($"fault cut {workload.FailedStatements.Count - failedBefore} statements; Edge1 serving again: {describe()}");
        return workload.FailedStatements.Count - failedBefore;
    }
}
