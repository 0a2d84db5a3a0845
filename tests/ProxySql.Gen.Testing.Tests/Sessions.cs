using System.Globalization;
using MySqlConnector;

namespace ProxySql.Testing.Tests;

/// <summary>Unpooled sessions the rig tests open to see a relay or node from outside, as an application would.</summary>
internal static class Sessions
{
    /// <summary>Opens a new, unpooled session; nothing is left open when the open fails.</summary>
    public static async Task<MySqlConnection> OpenAsync(MySqlConnectionStringBuilder builder)
    {
        builder.Pooling = false; // every open is a new session
        var connection = new MySqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first column of the first row, as a number.</summary>
    public static async Task<long> ScalarAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
