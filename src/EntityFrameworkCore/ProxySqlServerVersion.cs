using ProxySql;

// Beside Pomelo's ServerVersion.
namespace Microsoft.EntityFrameworkCore;

/// <summary>
/// <c>ServerVersion.AutoDetect</c> through the balancer: the version of the peer the strategy picks, failing over to the
/// next. Like Pomelo's, it ignores the configured database, so it works before <c>EnsureCreated</c> or a migration.
/// </summary>
public static class ProxySqlServerVersion
{
    /// <summary>Opens through the balancer (unpooled, without a database) and reads the server version.</summary>
    /// <param name="databases">The databases object.</param>
    /// <returns>The version, for <c>UseProxySql</c>.</returns>
    /// <exception cref="ProxySqlUnavailableException">No peer could open.</exception>
    public static ServerVersion AutoDetect(ProxySqlDatabases databases) =>
        AutoDetectAsync(databases).GetAwaiter().GetResult();

    /// <inheritdoc cref="AutoDetect"/>
    /// <param name="databases">The databases object.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    public static async Task<ServerVersion> AutoDetectAsync(ProxySqlDatabases databases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(databases);
        var connection = await ProviderHooks.OpenWithoutDatabaseAsync(ProviderHooks.BalancerOf(databases), cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
            return ServerVersion.Parse(connection.ServerVersion);
    }
}
