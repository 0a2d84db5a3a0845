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
    /// <summary>What Pomelo requires of every connection string (its MySqlConnectionStringOptionsValidator).</summary>
    internal static readonly (string Keyword, bool Value)[] PomeloOptions = [("AllowUserVariables", true), ("UseAffectedRows", false)];

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

        ProviderHooks.RequireOptions(databases, "EF Core (Pomelo.EntityFrameworkCore.MySql)", PomeloOptions);
        var balancer = ProviderHooks.BalancerOf(databases);
        var placeholder = new MySqlConnectionStringBuilder(balancer.Settings.Peers[0].ConnectionString);
        placeholder.Remove("Password");
        return s_setups.GetValue(databases, _ => new ProxySqlSetup(placeholder.ConnectionString));
    }
}
