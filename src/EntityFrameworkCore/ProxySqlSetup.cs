using System.Runtime.CompilerServices;
using MySqlConnector;
using ProxySql;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// The checks and preparation UseProxySql does once per databases object: later calls (AddDbContext configures every
/// context) reuse them. Opens after a dispose still fail, with the balancer's ObjectDisposedException.
/// </summary>
internal sealed class ProxySqlSetup
{
    /// <summary>
    /// What EF Core needs of every peer's connection string: Pomelo's options (its MySqlConnectionStringOptionsValidator),
    /// and no pipelining. MySqlConnector pipelines the two statements of BeginTransaction, and ProxySQL 2.7 answers them
    /// with a packet out of order, so every transaction EF starts (EnsureCreated, migrations, SaveChanges of several rows)
    /// would fail through a ProxySQL node; unpipelined, a pooled reuse costs one more round trip (reset, then SET NAMES).
    /// </summary>
    internal static readonly (string Keyword, bool Value)[] RequiredOptions = [("AllowUserVariables", true), ("UseAffectedRows", false), ("Pipelining", false)];

    private static readonly ConditionalWeakTable<ProxySqlDatabases, ProxySqlSetup> s_setups = [];

    private ProxySqlSetup(string placeholderConnectionString) => PlaceholderConnectionString = placeholderConnectionString;

    /// <summary>
    /// What EF Core sees as its connection string before the first open: the first peer's, without secrets and with Pomelo's
    /// options. It gives the database name (EnsureCreated, migrations); EF never opens it, the balancer does.
    /// </summary>
    public string PlaceholderConnectionString { get; }

    public static ProxySqlSetup For(ProxySqlDatabases databases)
    {
        if (s_setups.TryGetValue(databases, out var setup))
            return setup;
        if (ProviderHooks.IsDisposed(databases))
        {
            throw new ObjectDisposedException(databases.GetType().Name,
                $"UseProxySql was given a disposed {databases.GetType().Name}. Keep one instance for the application's lifetime (register it as a singleton) and dispose it after the last DbContext.");
        }

        ProviderHooks.RequireOptions(databases, "EF Core (Pomelo.EntityFrameworkCore.MySql) over ProxySQL", RequiredOptions);
        var balancer = ProviderHooks.BalancerOf(databases);
        var placeholder = new MySqlConnectionStringBuilder(balancer.Settings.Peers[0].ConnectionString);
        placeholder.Remove("Password");
        return s_setups.GetValue(databases, _ => new ProxySqlSetup(placeholder.ConnectionString));
    }
}
