using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace ProxySql.Testing.Tests;

public sealed class MariaDbServerTests
{
    [Fact]
    public async Task Started_server_serves_the_app_database_to_the_app_user_over_tcp()
    {
        await using MariaDbServer server = await MariaDbServer.StartAsync();

        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        using var command = new MySqlCommand("SELECT CONCAT(DATABASE(), ' ', CURRENT_USER())", connection);

        Assert.Equal("app app@127.0.0.1", await command.ExecuteScalarAsync());
        Assert.True(server.Port > 0);
        Assert.True(server.Pid > 0);
    }

    [Fact]
    public async Task Dispose_kills_the_process_by_pid_and_deletes_its_folder()
    {
        MariaDbServer server = await MariaDbServer.StartAsync();
        int pid = server.Pid;
        string folder = server.Directory;
        Assert.True(ProcessExists(pid), $"pid {pid} should run before dispose");
        Assert.True(Directory.Exists(folder));

        await server.DisposeAsync();

        Assert.False(ProcessExists(pid), $"mariadbd pid {pid} still runs after dispose");
        Assert.False(Directory.Exists(folder), $"{folder} still exists after dispose");
        Assert.Equal(0, server.Pid);
    }

    [Fact]
    public async Task Two_servers_start_at_once_with_their_own_port_process_and_folder()
    {
        await using MariaDbRig rig = await MariaDbRig.StartAsync(2);
        MariaDbServer first = rig.Servers[0];
        MariaDbServer second = rig.Servers[1];

        Assert.NotEqual(first.Port, second.Port);
        Assert.NotEqual(first.Pid, second.Pid);
        Assert.NotEqual(first.Directory, second.Directory);
        await first.ExecuteRootAsync("CREATE TABLE app.only_here (id INT)");
        Assert.Equal(1L, await first.ScalarRootAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_here'"));
        Assert.Equal(0L, await second.ScalarRootAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'only_here'"));
    }

    [Fact]
    public async Task Stop_then_start_keeps_the_port_and_the_data()
    {
        await using MariaDbServer server = await MariaDbServer.StartAsync();
        await server.ExecuteRootAsync("CREATE TABLE app.kept (id INT PRIMARY KEY); INSERT INTO app.kept VALUES (42)");
        int port = server.Port;
        int oldPid = server.Pid;

        await server.StopAsync();
        Assert.False(server.IsRunning);
        Assert.False(ProcessExists(oldPid), $"pid {oldPid} still runs after stop");
        await server.StartAsync();

        Assert.Equal(port, server.Port);
        Assert.NotEqual(oldPid, server.Pid);
        await using var connection = new MySqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        using var command = new MySqlCommand("SELECT id FROM kept", connection);
        Assert.Equal(42, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Killed_server_restarts_with_committed_data()
    {
        await using MariaDbServer server = await MariaDbServer.StartAsync();
        await server.ExecuteRootAsync("CREATE TABLE app.crash (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO app.crash VALUES (7)");

        await server.KillAsync();
        Assert.False(server.IsRunning);
        await server.StartAsync();

        Assert.Equal(7, await server.ScalarRootAsync("SELECT id FROM app.crash"));
    }

    [Fact]
    public async Task Missing_binary_fails_with_the_path_and_the_apt_get_command()
    {
        var options = new MariaDbServerOptions { MariadbdPath = "/nonexistent/sbin/mariadbd" };

        MariaDbStartException error = await Assert.ThrowsAsync<MariaDbStartException>(() => MariaDbServer.StartAsync(options));

        Assert.Contains("/nonexistent/sbin/mariadbd", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y mariadb-server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_connections_option_makes_the_server_answer_1040_past_the_limit()
    {
        await using MariaDbServer server = await MariaDbServer.StartAsync(new MariaDbServerOptions { MaxConnections = 10 });
        string unpooled = new MySqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        var open = new List<MySqlConnection>();
        try
        {
            for (int i = 0; i < 10; i++)
            {
                var connection = new MySqlConnection(unpooled);
                open.Add(connection);
                await connection.OpenAsync();
            }

            await using var oneTooMany = new MySqlConnection(unpooled);
            MySqlException error = await Assert.ThrowsAsync<MySqlException>(() => oneTooMany.OpenAsync());

            Assert.Equal(1040, error.Number);
        }
        finally
        {
            foreach (MySqlConnection connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Max_connections_below_the_server_minimum_is_rejected_with_the_reason()
    {
        var options = new MariaDbServerOptions { MaxConnections = 2 };

        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MariaDbServer.StartAsync(options));

        Assert.Contains("10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shared_server_is_one_instance_that_tests_cannot_stop()
    {
        MariaDbServer first = await SharedMariaDb.GetAsync();
        MariaDbServer second = await SharedMariaDb.GetAsync();

        Assert.Same(first, second);
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.StopAsync());
        await first.DisposeAsync();
        Assert.True(first.IsRunning);
        Assert.Equal(1, Convert.ToInt32(await first.ScalarRootAsync("SELECT 1"), CultureInfo.InvariantCulture));
    }

    private static bool ProcessExists(int pid)
    {
        if (pid <= 0)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
