using MySqlConnector;
using ProxySql;

// Beside Pomelo's ServerVersion.
namespace Microsoft.EntityFrameworkCore;

/// <summary><c>ServerVersion.AutoDetect</c> through the balancer: the version of whichever peer it opens on.</summary>
public static class ProxySqlServerVersion
{
    /// <summary>Opens through the balancer (with failover) and reads the server version.</summary>
    /// <param name="databases">The databases object.</param>
    /// <returns>The version, for <c>UseProxySql</c>.</returns>
    /// <exception cref="ProxySqlUnavailableException">No peer could open.</exception>
    public static ServerVersion AutoDetect(ProxySqlDatabases databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        using var connection = databases.OpenConnectionAsync().AsTask().GetAwaiter().GetResult();
        return ServerVersion.Parse(connection.ServerVersion);
    }

    /// <inheritdoc cref="AutoDetect"/>
    /// <param name="databases">The databases object.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static async Task<ServerVersion> AutoDetectAsync(ProxySqlDatabases databases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(databases);
        var connection = await databases.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
            return ServerVersion.Parse(connection.ServerVersion);
    }
}
