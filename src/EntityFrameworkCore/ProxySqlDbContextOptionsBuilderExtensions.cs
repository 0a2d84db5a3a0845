using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Pomelo.EntityFrameworkCore.MySql.Infrastructure;
using Pomelo.EntityFrameworkCore.MySql.Storage.Internal;
using ProxySql;
using ProxySql.EntityFrameworkCore;

// Beside Pomelo's UseMySql, so that "optionsBuilder." finds it without another using.
namespace Microsoft.EntityFrameworkCore;

/// <summary>Configures EF Core (Pomelo) to open every connection through a ProxySql.Gen balancer.</summary>
public static class ProxySqlDbContextOptionsBuilderExtensions
{
    /// <summary>
    /// Uses MySQL through <paramref name="databases"/>: each time EF Core opens its connection (a new context, a pooled
    /// context reused, a reopen after close) the balancer picks the peer and opens on it, with the per-attempt timeout,
    /// failover, hedging, mark-down, draining and <see cref="ProxySqlPeer.ConnectionsInUse"/> tracking of
    /// <see cref="ProxySqlDatabases.OpenConnectionAsync"/>.
    /// </summary>
    /// <remarks>
    /// <para>Every peer's connection string gets <c>AllowUserVariables=True;UseAffectedRows=False</c>, which Pomelo needs, and
    /// <c>Pipelining=False</c>, without which ProxySQL 2.7 breaks every transaction MySqlConnector begins; a configuration
    /// that sets one of them to the other value fails here, naming the path.</para>
    /// <para>A connection stays on its peer while open, so a transaction never moves and nothing inside it is retried.
    /// <c>mySqlOptions.EnableRetryOnFailure()</c> also retries <see cref="ProxySqlUnavailableException"/> (no peer could
    /// open), see <see cref="ProxySqlRetryingExecutionStrategy"/>.</para>
    /// </remarks>
    /// <param name="optionsBuilder">The options builder.</param>
    /// <param name="databases">A generated databases object; it must outlive the contexts.</param>
    /// <param name="serverVersion">The server version, e.g. from <see cref="ProxySqlServerVersion.AutoDetect"/>.</param>
    /// <param name="mySqlOptionsAction">Pomelo's options, as for <c>UseMySql</c>.</param>
    /// <returns>The options builder.</returns>
    /// <exception cref="ObjectDisposedException"><paramref name="databases"/> was disposed.</exception>
    /// <exception cref="ProxySqlConfigurationException">A peer's connection string contradicts what EF Core needs.</exception>
    public static DbContextOptionsBuilder UseProxySql(
        this DbContextOptionsBuilder optionsBuilder,
        ProxySqlDatabases databases,
        ServerVersion serverVersion,
        Action<MySqlDbContextOptionsBuilder>? mySqlOptionsAction = null)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(serverVersion);
        var setup = ProxySqlSetup.For(databases);
        optionsBuilder.UseMySql(setup.PlaceholderConnectionString, serverVersion);
        mySqlOptionsAction?.Invoke(new ProxySqlMySqlDbContextOptionsBuilder(optionsBuilder));
        ((IDbContextOptionsBuilderInfrastructure)optionsBuilder).AddOrUpdateExtension(new ProxySqlOptionsExtension(databases));
#pragma warning disable EF1001 // Pomelo's connection service is the documented way in; Pomelo is pinned to 9.0.0.
        optionsBuilder.ReplaceService<IMySqlRelationalConnection, ProxySqlRelationalConnection>();
        optionsBuilder.ReplaceService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator, ProxySqlDatabaseCreator>();
        optionsBuilder.ReplaceService<Microsoft.EntityFrameworkCore.Storage.IRelationalCommandBuilderFactory, OpenFirstCommandBuilderFactory>();
#pragma warning restore EF1001
        return optionsBuilder;
    }

    /// <inheritdoc cref="UseProxySql(DbContextOptionsBuilder, ProxySqlDatabases, ServerVersion, Action{MySqlDbContextOptionsBuilder}?)"/>
    /// <typeparam name="TContext">The context type.</typeparam>
    [SuppressMessage("Design", "CA1062:Validate arguments of public methods", Justification = "Validated by the overload it calls.")]
    public static DbContextOptionsBuilder<TContext> UseProxySql<TContext>(
        this DbContextOptionsBuilder<TContext> optionsBuilder,
        ProxySqlDatabases databases,
        ServerVersion serverVersion,
        Action<MySqlDbContextOptionsBuilder>? mySqlOptionsAction = null)
        where TContext : DbContext =>
        (DbContextOptionsBuilder<TContext>)((DbContextOptionsBuilder)optionsBuilder).UseProxySql(databases, serverVersion, mySqlOptionsAction);
}
