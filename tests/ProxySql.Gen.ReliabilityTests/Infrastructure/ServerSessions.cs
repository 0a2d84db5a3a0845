using System.Globalization;
using MySqlConnector;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>What a MariaDB server itself says about client sessions (information_schema.PROCESSLIST, read as root).</summary>
internal static class ServerSessions
{
    /// <summary>
    /// Creates a user of its own for one test on <paramref name="server"/> (e.g. the shared one), so that its session
    /// count there is this test's alone; returns its name. The password is the server's app password.
    /// </summary>
    public static async Task<string> CreateUserAsync(MariaDbServer server)
    {
        var user = "rel_" + Guid.NewGuid().ToString("N")[..12];
        var password = server.AppPassword.Replace("'", "\\'", StringComparison.Ordinal);
        await server.ExecuteRootAsync(
            $"CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'; CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'; " +
            $"GRANT ALL PRIVILEGES ON `app`.* TO '{user}'@'%'; GRANT ALL PRIVILEGES ON `app`.* TO '{user}'@'127.0.0.1';");
        return user;
    }

    /// <summary>Sessions of user <paramref name="user"/> on the server, the reading connection (root) excluded.</summary>
    public static async Task<int> CountAsync(MariaDbServer server, string user = MariaDbServer.AppUser)
    {
        var count = await server.ScalarRootAsync($"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = '{user}'");
        return Convert.ToInt32(count, CultureInfo.InvariantCulture);
    }

    /// <summary>One line per session of <paramref name="user"/>: id, command, time, state; for failure messages.</summary>
    public static async Task<string> DescribeAsync(MariaDbServer server, string user = MariaDbServer.AppUser)
    {
        await using var connection = new MySqlConnection(server.RootConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"SELECT ID, HOST, COMMAND, TIME, STATE FROM information_schema.PROCESSLIST WHERE USER = '{user}' ORDER BY ID", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"#{reader.GetValue(0)} {reader.GetValue(1)} {reader.GetValue(2)} {reader.GetValue(3)}s {reader.GetValue(4)}"));
        return lines.Count == 0 ? "(no sessions)" : string.Join(", ", lines);
    }

    /// <summary>Waits until the server holds at most <paramref name="limit"/>() sessions of the app user; returns the last count.</summary>
    public static async Task<int> WaitAtMostAsync(MariaDbServer server, Func<long> limit, TimeSpan deadline, Func<string> describe, string user = MariaDbServer.AppUser)
    {
        var last = -1;
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            last = await CountAsync(server, user);
            if (last <= limit())
                return last;
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException(
                    $"The server still holds {last} sessions of {user} after {deadline.TotalSeconds:0.#} s, more than the {limit()} allowed. {describe()} Server sessions: {await DescribeAsync(server, user)}");
            }

            await Task.Delay(50);
        }
    }
}
