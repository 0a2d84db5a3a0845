using System.Diagnostics;
using System.Net;
using MySqlConnector;
using ProxySql.Testing;
using Xunit.Abstractions;

namespace ProxySql.IntegrationTests;

/// <summary>
/// The problem the balancer solves, measured: MySqlConnector's own multi-host mode (one pool over three hosts)
/// under the same pooled 16-worker workload never drains a paused host.
/// </summary>
public sealed class MultiHostBaselineTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MySqlConnector_multi_host_mode_keeps_reusing_sessions_to_a_paused_host()
    {
        var server = await SharedMariaDb.GetAsync();

        // Multi-host mode shares one port across hosts: three loopback addresses on one port.
        IPAddress[] addresses = [IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")];
        var port = LoopbackPort.FindFree(addresses);
        var relays = addresses.Select(a => FaultRelay.Start(server.EndPoint, a, port)).ToArray();
        try
        {
            var connectionString = new MySqlConnectionStringBuilder(server.ConnectionString)
            {
                Server = string.Join(",", addresses.Select(a => a.ToString())),
                Port = (uint)port,
                LoadBalance = MySqlLoadBalance.Random,
            }.ConnectionString;

            using var stop = new CancellationTokenSource();
            long openErrors = 0, statementErrors = 0, opens = 0;
            var workers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await using var connection = new MySqlConnection(connectionString);
                        try
                        {
                            await connection.OpenAsync();
                        }
                        catch (MySqlException)
                        {
                            Interlocked.Increment(ref openErrors);
                            continue;
                        }

                        Interlocked.Increment(ref opens);
                        await using var command = new MySqlCommand("SELECT 1", connection);
                        await command.ExecuteScalarAsync();
                    }
                    catch (MySqlException)
                    {
                        Interlocked.Increment(ref statementErrors);
                    }
                }
            })).ToArray();

            await Eventually.TrueAsync(() => relays.All(r => r.OpenSessions > 0) && Interlocked.Read(ref opens) > 3000, Deadline, () => string.Join("; ", relays.Select(r => r.ToString())));
            relays[1].Mode = RelayMode.Paused;
            var pausedAt = Stopwatch.StartNew();
            var bytesAtPause = relays.Select(r => r.BytesRelayed).ToArray();

            // As much work as the balancer's pause test does after its drain (and far longer than that drain took).
            var opensAtPause = Interlocked.Read(ref opens);
            await Eventually.TrueAsync(() => Interlocked.Read(ref opens) >= opensAtPause + 6000, Deadline, () => string.Join("; ", relays.Select(r => r.ToString())));
            var sessionsAfter = relays[1].OpenSessions;
            var bytes = relays.Select((r, i) => r.BytesRelayed - bytesAtPause[i]).ToArray();
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            var share = (double)bytes[1] / bytes.Sum();
            output.WriteLine($"MySqlConnector multi-host, host 2 paused for {pausedAt.Elapsed.TotalSeconds:0.0} s (6000 opens): {sessionsAfter} sessions still open on it, {share:P1} of traffic still went to it; caller errors {openErrors} open, {statementErrors} statement");
            Assert.True(sessionsAfter > 0, "multi-host mode drained the paused host: the baseline changed");
            Assert.True(share > 0.05, $"paused host got {share:P1} of traffic");
        }
        finally
        {
            foreach (var relay in relays)
                await relay.DisposeAsync();
        }
    }
}
