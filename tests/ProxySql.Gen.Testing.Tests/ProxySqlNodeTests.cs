using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace ProxySql.Testing.Tests;

/// <summary>Each verb of <see cref="ProxySqlNode"/>, observed on a real ProxySQL in front of a real MariaDB.</summary>
[Trait("Category", "ProxySql")]
public sealed class ProxySqlNodeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Start_serves_statements_through_to_the_backend_and_counts_client_sessions()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(server);

        Assert.True(node.IsRunning);
        Assert.NotEqual(node.Port, node.AdminPort);
        Assert.True(File.Exists(Path.Combine(node.Directory, ProxySqlNode.PidFileName)));
        await using (MySqlConnection connection = await OpenAsync(node))
        {
            // @@port is answered by the backend: the statement really went through the node to MariaDB
            Assert.Equal((long)server.Port, await ScalarAsync(connection, "SELECT @@port"));
            Assert.Equal(1L, await node.ClientConnectionsAsync());
        }

        await Eventually.TrueAsync(() => node.ClientConnectionsAsync().Result == 0, Deadline, () => "the closed session is still counted");
        Assert.False(await node.IsListenerPausedAsync());
    }

    [Fact]
    public async Task Pause_refuses_new_sessions_while_open_ones_keep_working_and_resume_accepts_again()
    {
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(await SharedMariaDb.GetAsync());
        await using MySqlConnection before = await OpenAsync(node);

        await node.PauseAsync();

        Assert.True(await node.IsListenerPausedAsync());
        MySqlException refused = await Assert.ThrowsAsync<MySqlException>(() => OpenAsync(node));
        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, refused.ErrorCode);
        Assert.Equal(3L, await ScalarAsync(before, "SELECT 1 + 2"));
        Assert.Equal(1L, await node.ClientConnectionsAsync());

        await node.ResumeAsync();

        Assert.False(await node.IsListenerPausedAsync());
        await using MySqlConnection after = await OpenAsync(node);
        Assert.Equal(4L, await ScalarAsync(after, "SELECT 2 + 2"));
    }

    [Fact]
    public async Task Kill_ends_open_sessions_and_refuses_new_ones_and_restart_serves_on_the_same_port()
    {
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(await SharedMariaDb.GetAsync());
        int port = node.Port;
        int pid = node.Pid;
        await using MySqlConnection victim = await OpenAsync(node);

        await node.KillAsync();

        Assert.False(node.IsRunning);
        Assert.False(IsAlive(pid), $"pid {pid} still runs after the kill");
        Exception lost = await Assert.ThrowsAnyAsync<Exception>(() => ScalarAsync(victim, "SELECT 1"));
        Assert.True(lost is MySqlException or InvalidOperationException or IOException, $"expected a connection failure, got {lost}");
        MySqlException refused = await Assert.ThrowsAsync<MySqlException>(() => OpenAsync(node));
        Assert.Equal(MySqlErrorCode.UnableToConnectToHost, refused.ErrorCode);

        await node.RestartAsync();

        Assert.True(node.IsRunning);
        Assert.NotEqual(pid, node.Pid);
        Assert.Equal(port, node.Port);
        await using MySqlConnection after = await OpenAsync(node);
        Assert.Equal(5L, await ScalarAsync(after, "SELECT 2 + 3"));
    }

    [Fact]
    public async Task Backends_offline_keep_handshake_and_ping_but_fail_statements_with_9001_until_online_again()
    {
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(
            await SharedMariaDb.GetAsync(),
            new ProxySqlNodeOptions { ConnectTimeoutServerMax = TimeSpan.FromMilliseconds(800) });

        await node.SetBackendsOnlineAsync(false);

        await using (MySqlConnection connection = await OpenAsync(node))
        {
            Assert.True(await connection.PingAsync(), "ProxySQL answers COM_PING itself");
            var clock = Stopwatch.StartNew();
            MySqlException failed = await Assert.ThrowsAsync<MySqlException>(() => ScalarAsync(connection, "SELECT 1"));
            Assert.Equal(9001, failed.Number);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(700), $"9001 came after {clock.ElapsedMilliseconds} ms, before connect_timeout_server_max (800 ms)");
        }

        await node.SetBackendsOnlineAsync(true);

        await using MySqlConnection healed = await OpenAsync(node);
        Assert.Equal(1L, await ScalarAsync(healed, "SELECT 1"));
    }

    [Fact]
    public async Task Variables_take_effect_at_runtime_and_survive_a_restart()
    {
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(await SharedMariaDb.GetAsync());

        await node.SetVariableAsync("mysql-max_connections", "1");

        await using (MySqlConnection first = await OpenAsync(node))
        {
            MySqlException tooMany = await Assert.ThrowsAsync<MySqlException>(() => OpenAsync(node));
            Assert.Equal(1040, tooMany.Number);
            Assert.Equal(1L, await ScalarAsync(first, "SELECT 1"));
        }

        await node.RestartAsync();

        Assert.Equal("1", await node.AdminScalarAsync("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'mysql-max_connections'"));
        ArgumentException unknown = await Assert.ThrowsAsync<ArgumentException>(() => node.SetVariableAsync("mysql-no_such_variable", "1"));
        Assert.Contains("mysql-no_such_variable", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => node.SetVariableAsync("max_connections'; --", "1"));
    }

    [Fact]
    public async Task Query_delay_slows_every_statement_and_can_be_removed()
    {
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(await SharedMariaDb.GetAsync());
        await using MySqlConnection connection = await OpenAsync(node);

        await node.SetQueryDelayAsync(TimeSpan.FromMilliseconds(300));

        var clock = Stopwatch.StartNew();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(280), $"the delayed statement took {clock.ElapsedMilliseconds} ms");

        await node.SetQueryDelayAsync(TimeSpan.Zero);

        Assert.Equal(0L, Convert.ToInt64(await node.AdminScalarAsync("SELECT COUNT(*) FROM runtime_mysql_query_rules"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Tls_on_the_client_leg_needs_ssl_and_uses_the_node_own_ca()
    {
        await using ProxySqlNode node = await ProxySqlNode.StartAsync(await SharedMariaDb.GetAsync(), new ProxySqlNodeOptions { HaveSsl = true });

        Assert.True(File.Exists(node.CaCertificatePath));
        var verified = new MySqlConnectionStringBuilder(node.ConnectionString)
        {
            SslMode = MySqlSslMode.VerifyCA,
            SslCa = node.CaCertificatePath,
            Pooling = false,
        };
        await using var connection = new MySqlConnection(verified.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT 1"));
        Assert.Equal("true", await node.AdminScalarAsync("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'mysql-have_ssl'"));
    }

    [Fact]
    public async Task Monitor_is_off_by_default_and_when_on_pings_the_backend_as_the_app_user()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        await using ProxySqlNode quiet = await ProxySqlNode.StartAsync(server);
        await using ProxySqlNode monitored = await ProxySqlNode.StartAsync(server, new ProxySqlNodeOptions { MonitorEnabled = true });

        await Eventually.TrueAsync(
            async () => Convert.ToInt64(await monitored.AdminScalarAsync("SELECT COUNT(*) FROM monitor.mysql_server_ping_log WHERE ping_error IS NULL"), CultureInfo.InvariantCulture) > 0,
            Deadline,
            () => "the monitor logged no successful ping");

        Assert.Equal("false", await quiet.AdminScalarAsync("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'mysql-monitor_enabled'"));
        Assert.Equal(0L, Convert.ToInt64(await quiet.AdminScalarAsync("SELECT COUNT(*) FROM monitor.mysql_server_ping_log"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Cluster_starts_nodes_on_distinct_ports_that_all_serve_and_dispose_kills_them()
    {
        MariaDbServer server = await SharedMariaDb.GetAsync();
        ProxySqlCluster cluster = await ProxySqlCluster.StartAsync(2, server);
        int[] pids = [.. cluster.Nodes.Select(n => n.Pid)];
        string[] directories = [.. cluster.Nodes.Select(n => n.Directory)];
        try
        {
            Assert.Equal(4, cluster.Nodes.SelectMany(n => new[] { n.Port, n.AdminPort }).Distinct().Count());
            foreach (ProxySqlNode node in cluster.Nodes)
            {
                await using MySqlConnection connection = await OpenAsync(node);
                Assert.Equal((long)server.Port, await ScalarAsync(connection, "SELECT @@port"));
                Assert.Same(node, cluster.NodeOnPort(node.Port));
            }
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        Assert.All(pids, pid => Assert.False(IsAlive(pid), $"pid {pid} survived dispose"));
        Assert.All(directories, directory => Assert.False(Directory.Exists(directory)));
    }

    private static Task<MySqlConnection> OpenAsync(ProxySqlNode node) =>
        Sessions.OpenAsync(new MySqlConnectionStringBuilder(node.ConnectionString) { ConnectionTimeout = 5 });

    private static Task<long> ScalarAsync(MySqlConnection connection, string sql) => Sessions.ScalarAsync(connection, sql);

    private static bool IsAlive(int pid) => ScratchSpace.ProcessStartTicks(pid).Length > 0;
}
