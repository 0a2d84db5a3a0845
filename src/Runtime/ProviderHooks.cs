using System.Globalization;
using System.Runtime.CompilerServices;
using MySqlConnector;
using ProxySql.Configuration;
using ProxySql.Core;

namespace ProxySql;

/// <summary>
/// What ORM integrations (ProxySql.Gen.EntityFrameworkCore) need from a databases object beyond the public API:
/// connection-string options a provider insists on, opens without a default database, and an I/O-free disposal check.
/// </summary>
/// <remarks>
/// Written against the engine's internals (<see cref="ConfigurationReload.Apply"/>, <see cref="Balancer.Select"/>,
/// <see cref="ProxySqlPeer.TrackInUse"/>); the engine owns these and may move them behind its own API.
/// </remarks>
internal static class ProviderHooks
{
    private static readonly ConditionalWeakTable<Balancer, RequiredOptions> s_required = [];

    /// <summary>The balancer behind <paramref name="databases"/>.</summary>
    public static Balancer BalancerOf(ProxySqlDatabases databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        return ((BalancerDataSource)databases.DataSource).Balancer;
    }

    /// <summary>Whether <paramref name="databases"/> was disposed.</summary>
    public static bool IsDisposed(ProxySqlDatabases databases) => BalancerOf(databases).IsDisposed;

    /// <summary>
    /// Makes every peer's connection string carry <paramref name="options"/> (e.g. Pomelo's AllowUserVariables=True and
    /// UseAffectedRows=False) and keeps them after a configuration reload (re-applied on the next <see cref="OpenAsync"/>).
    /// An option the configuration sets to the other value is a startup error naming the path, never overridden.
    /// </summary>
    /// <param name="databases">The databases object.</param>
    /// <param name="consumer">Who needs the options, for the message (e.g. "EF Core (Pomelo)").</param>
    /// <param name="options">Connection-string keywords and the boolean value each must have.</param>
    /// <exception cref="ProxySqlConfigurationException">A peer's connection string sets an option to the other value.</exception>
    public static void RequireOptions(ProxySqlDatabases databases, string consumer, params (string Keyword, bool Value)[] options)
    {
        var balancer = BalancerOf(databases);
        var required = s_required.GetValue(balancer, static _ => new RequiredOptions());
        lock (required)
        {
            foreach (var option in options)
            {
                if (!required.Options.Exists(o => string.Equals(o.Keyword, option.Keyword, StringComparison.OrdinalIgnoreCase)))
                    required.Options.Add(option);
            }

            required.Consumer = consumer;
            required.AppliedTo = null;
        }

        Reapply(balancer, required);
    }

    /// <summary>Opens through the balancer after re-applying required options a reload may have dropped.</summary>
    public static ValueTask<MySqlConnection> OpenAsync(Balancer balancer, CancellationToken cancellationToken)
    {
        if (s_required.TryGetValue(balancer, out var required) && !ReferenceEquals(Volatile.Read(ref required.AppliedTo), balancer.Settings))
            Reapply(balancer, required);
        return balancer.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>
    /// Opens an unpooled connection with no default database (to create or drop the database itself), on the peer the
    /// strategy picks, failing over to the next within the connect timeout each. Counted in ConnectionsInUse while open.
    /// Unlike <see cref="Balancer.OpenConnectionAsync"/> it neither hedges nor marks peers Down: it is for rare
    /// administrative opens, and a database that does not exist yet must not look like a broken peer.
    /// </summary>
    /// <exception cref="ProxySqlUnavailableException">No peer opened.</exception>
    public static async ValueTask<MySqlConnection> OpenWithoutDatabaseAsync(Balancer balancer, CancellationToken cancellationToken)
    {
        var tried = 0UL;
        Exception? last = null;
        while ((balancer.Select(tried) ?? DownForConfiguration(balancer, tried)) is { } peer)
        {
            tried |= 1UL << peer.Index;
            var builder = new MySqlConnectionStringBuilder(peer.Settings.ConnectionString) { Database = string.Empty, Pooling = false };
            var connection = new MySqlConnection(builder.ConnectionString);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(balancer.Settings.ConnectTimeout);
                await connection.OpenAsync(timeout.Token).ConfigureAwait(false);
                peer.TrackInUse(connection);
                return connection;
            }
#pragma warning disable CA1031 // Any failure moves on to the next peer; the last one is reported.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                last = ex;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new ProxySqlUnavailableException(balancer.DescribePeers(), last);
    }

    /// <summary>An enabled peer not tried yet that is Down only for a configuration error (say, the database does not exist yet).</summary>
    private static ProxySqlPeer? DownForConfiguration(Balancer balancer, ulong tried)
    {
        foreach (var peer in balancer.Peers)
        {
            if (peer.Enabled && (tried & (1UL << peer.Index)) == 0 && peer.State == ProxySqlPeerState.Down && peer.StateReason == ProxySqlPeerStateReason.Configuration)
                return peer;
        }

        return null;
    }

    private static void Reapply(Balancer balancer, RequiredOptions required)
    {
        lock (required)
        {
            var current = balancer.Settings;
            if (ReferenceEquals(required.AppliedTo, current))
                return;
            var peers = new PeerSettings[current.Peers.Count];
            var changed = false;
            for (var i = 0; i < peers.Length; i++)
            {
                var peer = current.Peers[i];
                var connectionString = WithOptions(peer.ConnectionString, current.SectionName, peer, required);
                var probeConnectionString = WithOptions(peer.ProbeConnectionString, current.SectionName, peer, required);
                changed |= !ReferenceEquals(connectionString, peer.ConnectionString) || !ReferenceEquals(probeConnectionString, peer.ProbeConnectionString);
                peers[i] = peer with { ConnectionString = connectionString, ProbeConnectionString = probeConnectionString };
            }

            if (changed)
            {
                var next = current with { Peers = peers };
                ConfigurationReload.Apply(balancer, next);
                current = next;
            }

            Volatile.Write(ref required.AppliedTo, current);
        }
    }

    /// <summary>The connection string with the options set, or the same instance when it already has them.</summary>
    private static string WithOptions(string connectionString, string sectionName, PeerSettings peer, RequiredOptions required)
    {
        var builder = new MySqlConnectionStringBuilder(connectionString);
        var missing = false;
        foreach (var (keyword, value) in required.Options)
        {
            if (!builder.ContainsKey(keyword))
            {
                missing = true;
                continue;
            }

            if (Convert.ToBoolean(builder[keyword], CultureInfo.InvariantCulture) != value)
            {
                throw new ProxySqlConfigurationException(
                    $"{sectionName}:Peers:{peer.ConfigurationKey}:ConnectionString",
                    $"sets {keyword}={!value} (here or in {sectionName}:ConnectionString), but {required.Consumer} needs {keyword}={value}. " +
                    $"Remove {keyword} from the connection string (ProxySql.Gen sets it for you) or set it to {value}.");
            }
        }

        if (!missing)
            return connectionString;
        foreach (var (keyword, value) in required.Options)
            builder[keyword] = value;
        return builder.ConnectionString;
    }

    private sealed class RequiredOptions
    {
        public List<(string Keyword, bool Value)> Options { get; } = [];

        public string Consumer { get; set; } = "";

        public BalancerSettings? AppliedTo;
    }
}
