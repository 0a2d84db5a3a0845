using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace ProxySql.Testing.Tests;

public sealed class FaultRelayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Up_forwards_a_real_query_both_ways()
    {
        await using FaultRelay relay = await StartRelayAsync();

        await using MySqlConnection connection = await OpenAsync(relay);

        Assert.Equal(2L, await ScalarAsync(connection, "SELECT 1 + 1"));
        Assert.Equal(1L, relay.TotalSessions);
        Assert.True(relay.BytesRelayed > 0);
    }

    [Fact]
    public async Task Paused_refuses_new_connections_with_1042_while_an_open_session_keeps_answering()
    {
        await using FaultRelay relay = await StartRelayAsync();
        await using MySqlConnection before = await OpenAsync(relay);

        relay.Mode = RelayMode.Paused;

        var clock = Stopwatch.StartNew();
        MySqlException refused = await Assert.ThrowsAsync<MySqlException>(() => OpenAsync(relay, connectTimeout: 10));
        clock.Stop();
        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, refused.ErrorCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a refused connect should not wait for the 10 s connect timeout; took {clock.Elapsed}");
        Assert.Equal(SocketError.ConnectionRefused, await RawConnectErrorAsync(relay.EndPoint));
        Assert.Equal(3L, await ScalarAsync(before, "SELECT 1 + 2"));
        Assert.Equal(1, relay.OpenSessions);

        relay.Mode = RelayMode.Up;

        await using MySqlConnection after = await OpenAsync(relay);
        Assert.Equal(4L, await ScalarAsync(after, "SELECT 2 + 2"));
        Assert.Equal(3L, await ScalarAsync(before, "SELECT 1 + 2"));
    }

    [Fact]
    public async Task Killed_resets_open_sessions_and_refuses_new_ones_until_up()
    {
        await using FaultRelay relay = await StartRelayAsync();
        await using MySqlConnection victim = await OpenAsync(relay);
        Assert.Equal(1, relay.OpenSessions);

        relay.Mode = RelayMode.Killed;

        Exception reset = await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync(victim, "SELECT 1"));
        Assert.True(IsConnectionFailure(reset), $"expected a connection failure, got {reset}");
        await Eventually.TrueAsync(() => relay.OpenSessions == 0, Deadline, () => $"{relay.OpenSessions} sessions still open");
        MySqlException refused = await Assert.ThrowsAsync<MySqlException>(() => OpenAsync(relay, connectTimeout: 10));
        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, refused.ErrorCode);

        relay.Mode = RelayMode.Up;

        await using MySqlConnection next = await OpenAsync(relay);
        Assert.Equal(1L, await ScalarAsync(next, "SELECT 1"));
    }

    [Fact]
    public async Task Killed_ends_an_idle_session_with_an_orderly_close_as_a_killed_proxysql_does()
    {
        await using FaultRelay relay = await StartRelayAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(relay.EndPoint);
        var greeting = new byte[1024];
        Assert.True(await socket.ReceiveAsync(greeting, SocketFlags.None) > 0, "the server greeting should come through");

        relay.Mode = RelayMode.Killed;

        // the kernel closes a SIGKILLed process's idle sockets with FIN (checked on proxysql 2.7.2): end of stream, no RST
        Assert.Equal(0, await socket.ReceiveAsync(greeting, SocketFlags.None));
    }

    [Fact]
    public async Task Blackholed_new_connection_costs_the_client_its_connect_timeout()
    {
        await using FaultRelay relay = await StartRelayAsync();
        relay.Mode = RelayMode.Blackholed;

        var clock = Stopwatch.StartNew();
        MySqlException timeout = await Assert.ThrowsAsync<MySqlException>(() => OpenAsync(relay, connectTimeout: 1));
        clock.Stop();

        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, timeout.ErrorCode);
        Assert.Contains("timeout", timeout.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the client gave up after {clock.Elapsed}, before its 1 s connect timeout");
        Assert.Equal(1L, relay.TotalSessions);
    }

    [Fact]
    public async Task Blackholed_open_session_gets_no_answer_until_its_command_timeout()
    {
        await using FaultRelay relay = await StartRelayAsync();
        await using MySqlConnection connection = await OpenAsync(relay, commandTimeout: 1);
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));

        relay.Mode = RelayMode.Blackholed;

        MySqlException timeout = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(connection, "SELECT 2"));
        Assert.Equal(MySqlErrorCode.CommandTimeoutExpired, timeout.ErrorCode);
        Assert.Equal(1, relay.OpenSessions); // nothing was closed by the relay

        relay.Mode = RelayMode.Up;

        await using MySqlConnection next = await OpenAsync(relay);
        Assert.Equal(3L, await ScalarAsync(next, "SELECT 3"));
    }

    [Fact]
    public async Task Added_latency_delays_each_direction_of_a_round_trip()
    {
        await using FaultRelay relay = await StartRelayAsync();
        await using MySqlConnection connection = await OpenAsync(relay);
        var latency = TimeSpan.FromMilliseconds(150);

        relay.ClientToServerLatency = latency;
        TimeSpan oneWay = await TimeQueryAsync(connection);
        relay.ServerToClientLatency = latency;
        TimeSpan bothWays = await TimeQueryAsync(connection);

        Assert.True(oneWay >= latency, $"round trip {oneWay} with {latency} client-to-server latency");
        Assert.True(bothWays >= 2 * latency, $"round trip {bothWays} with {latency} each way");
        Assert.Equal(latency, relay.ClientToServerLatency);
        Assert.Equal(latency, relay.ServerToClientLatency);
    }

    [Fact]
    public async Task Counters_track_open_and_total_sessions_and_bytes()
    {
        await using FaultRelay relay = await StartRelayAsync();
        var connections = new List<MySqlConnection>();
        for (int i = 0; i < 3; i++)
        {
            connections.Add(await OpenAsync(relay));
        }

        Assert.Equal(3, relay.OpenSessions);
        Assert.Equal(3L, relay.TotalSessions);
        long before = relay.BytesRelayed;
        using (var command = new MySqlCommand("SELECT REPEAT('x', 100000)", connections[1]))
        {
            Assert.Equal(100_000, ((string)(await command.ExecuteScalarAsync())!).Length);
        }

        Assert.True(relay.BytesRelayed - before >= 100_000, $"relayed {relay.BytesRelayed - before} bytes for a 100 kB result");

        foreach (MySqlConnection connection in connections)
        {
            await connection.DisposeAsync();
        }

        await Eventually.TrueAsync(() => relay.OpenSessions == 0, Deadline, () => $"{relay.OpenSessions} sessions still open after closing all");
        Assert.Equal(3L, relay.TotalSessions);
    }

    [Fact]
    public async Task Relays_on_several_loopback_addresses_share_one_port_for_multi_host_connection_strings()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        IPAddress second = IPAddress.Parse("127.0.0.2");
        IPAddress third = IPAddress.Parse("127.0.0.3");
        int port = LoopbackPort.FindFree(second, third);
        await using FaultRelay a = FaultRelay.Start(server.EndPoint, second, port);
        await using FaultRelay b = FaultRelay.Start(server.EndPoint, third, port);
        string multiHost = new MySqlConnectionStringBuilder(server.ConnectionString)
        {
            Server = "127.0.0.2,127.0.0.3",
            Port = (uint)port,
            LoadBalance = MySqlLoadBalance.FailOver,
            Pooling = false,
        }.ConnectionString;

        a.Mode = RelayMode.Paused;
        await using var connection = new MySqlConnection(multiHost);
        await connection.OpenAsync();

        Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
        Assert.Equal(0L, a.TotalSessions);
        Assert.Equal(1L, b.TotalSessions);
    }

    [Fact]
    public async Task Stopped_target_ends_open_sessions_and_new_connections_fail()
    {
        await using MariaDbServer server = await MariaDbServer.StartAsync();
        await using FaultRelay relay = FaultRelay.Start(server.EndPoint);
        string unpooled = new MySqlConnectionStringBuilder(relay.ConnectionStringFor(server.ConnectionString)) { Pooling = false, ConnectionTimeout = 10 }.ConnectionString;
        await using var before = new MySqlConnection(unpooled);
        await before.OpenAsync();

        await server.StopAsync();

        await Eventually.TrueAsync(() => relay.OpenSessions == 0, Deadline, () => $"{relay.OpenSessions} sessions still open after the target stopped");
        Exception ended = await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync(before, "SELECT 1"));
        Assert.True(IsConnectionFailure(ended), $"expected a connection failure, got {ended}");
        await using var after = new MySqlConnection(unpooled);
        await Assert.ThrowsAsync<MySqlException>(() => after.OpenAsync());
    }

    [Fact]
    public async Task Dispose_ends_every_session_and_frees_the_port()
    {
        FaultRelay relay = await StartRelayAsync();
        await using MySqlConnection connection = await OpenAsync(relay);

        await relay.DisposeAsync();

        Assert.Equal(0, relay.OpenSessions);
        Exception ended = await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync(connection, "SELECT 1"));
        Assert.True(IsConnectionFailure(ended), $"expected a connection failure, got {ended}");
        Assert.Equal(SocketError.ConnectionRefused, await RawConnectErrorAsync(relay.EndPoint));
    }

    [Fact]
    public async Task Mode_changes_from_several_threads_while_clients_connect_leave_a_working_relay()
    {
        await using FaultRelay relay = await StartRelayAsync();
        RelayMode[] modes = [RelayMode.Up, RelayMode.Paused, RelayMode.Killed, RelayMode.Blackholed];
        using var stop = new CancellationTokenSource();
        Task[] togglers = Enumerable.Range(0, 3).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                relay.Mode = modes[random.Next(modes.Length)];

                // About a thousand changes a second per thread still race every accept and forward; a bare yield
                // would spin three threads and starve the clients on a busy two-core machine.
                await Task.Delay(1);
            }
        })).ToArray();
        Task[] clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using MySqlConnection connection = await OpenAsync(relay, connectTimeout: 1, commandTimeout: 1);
                    await ScalarAsync(connection, "SELECT 1");
                }
                catch (Exception e) when (IsConnectionFailure(e))
                {
                    // expected while the relay is down
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => relay.TotalSessions >= 20, 3 * Deadline, () => $"{relay.TotalSessions} sessions so far");
        await stop.CancelAsync();
        await Task.WhenAll(togglers);
        await Task.WhenAll(clients);
        relay.Mode = RelayMode.Up;

        await using MySqlConnection last = await OpenAsync(relay);
        Assert.Equal(1L, await ScalarAsync(last, "SELECT 1"));
        await last.CloseAsync();
        await Eventually.TrueAsync(() => relay.OpenSessions == 0, Deadline, () => $"{relay.OpenSessions} sessions still open");
    }

    private static async Task<FaultRelay> StartRelayAsync()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        return FaultRelay.Start(server.EndPoint);
    }

    private static async Task<MySqlConnection> OpenAsync(FaultRelay relay, int connectTimeout = 10, int commandTimeout = 30)
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        return await Sessions.OpenAsync(new MySqlConnectionStringBuilder(relay.ConnectionStringFor(server.ConnectionString))
        {
            ConnectionTimeout = (uint)connectTimeout,
            DefaultCommandTimeout = (uint)commandTimeout,
            CancellationTimeout = -1, // on a command timeout, close at once instead of sending KILL QUERY through the fault
        });
    }

    private static Task<long> ScalarAsync(MySqlConnection connection, string sql) => Sessions.ScalarAsync(connection, sql);

    /// <summary>
    /// MySqlConnector 2.6.2 reports a dead session as MySqlException on read, but lets the SocketException
    /// or IOException of a failed write through.
    /// </summary>
    private static bool IsConnectionFailure(Exception e) => e is MySqlException or SocketException or IOException;

    private static async Task<TimeSpan> TimeQueryAsync(MySqlConnection connection)
    {
        var clock = Stopwatch.StartNew();
        await ScalarAsync(connection, "SELECT 1");
        return clock.Elapsed;
    }

    private static async Task<SocketError> RawConnectErrorAsync(IPEndPoint endPoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }
}
