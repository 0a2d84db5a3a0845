using System.Data.Common;
using System.ComponentModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MySqlConnector;
using ProxySql.Core;

namespace ProxySql;

/// <summary>
/// The base of every generated <see cref="ProxySqlDatabasesAttribute"/> class: opens connections on a healthy
/// peer, exposes the peers and a <see cref="DbDataSource"/>, and owns the per-peer pools and background probes.
/// </summary>
public abstract class ProxySqlDatabases : IAsyncDisposable, IDisposable
{
    private readonly Balancer _balancer;

    /// <summary>Used by generated code.</summary>
    /// <param name="context">From <c>CreateContext</c>.</param>
    protected ProxySqlDatabases(ProxySqlDatabasesContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _balancer = context.Balancer;
    }

    /// <summary>The engine, for tests that wait on its background work.</summary>
    internal Balancer Balancer => _balancer;

    /// <summary>The peers in declaration order.</summary>
    public IReadOnlyList<ProxySqlPeer> Peers => _balancer.Peers;

    /// <summary>A <see cref="DbDataSource"/> whose connections are opened through the balancer (Dapper, ADO.NET).</summary>
    public DbDataSource DataSource => _balancer.DataSource;

    /// <summary>Opens a pooled connection on a healthy peer, failing over between peers as needed.</summary>
    /// <param name="cancellationToken">Cancels the open; never held against a peer.</param>
    /// <returns>An open connection; dispose it to return it to its peer's pool.</returns>
    /// <exception cref="ProxySqlUnavailableException">No peer could serve; the message lists each peer's last error.</exception>
    public ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        _balancer.OpenConnectionAsync(cancellationToken);

    /// <summary>The peer a connection opened through these databases belongs to (by its endpoint), or <see langword="null"/>.</summary>
    /// <param name="connection">A connection from <see cref="OpenConnectionAsync"/>, a peer or <see cref="DataSource"/>.</param>
    /// <returns>The peer, or <see langword="null"/> when no peer has that endpoint.</returns>
    public ProxySqlPeer? PeerOf(MySqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return _balancer.PeerOf(connection);
    }

    /// <summary>The peer at <paramref name="index"/> in declaration order; used by generated properties.</summary>
    /// <param name="index">The declaration index.</param>
    /// <returns>The peer.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected ProxySqlPeer PeerAt(int index) => _balancer.Peers[index];

    /// <summary>Binds configuration for the declared peers and starts a balancer; used by generated <c>Create</c>.</summary>
    /// <param name="configuration">The root configuration.</param>
    /// <param name="sectionName">The section named in <see cref="ProxySqlDatabasesAttribute"/>.</param>
    /// <param name="peers">The declared peers, in declaration order.</param>
    /// <param name="defaults">Compile-time defaults from the attribute.</param>
    /// <param name="loggerFactory">Where to log; none when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; the system clock when <see langword="null"/>.</param>
    /// <returns>The context to pass to the generated constructor.</returns>
    /// <exception cref="ProxySqlConfigurationException">The configuration is invalid; the message names the path.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected static ProxySqlDatabasesContext CreateContext(
        IConfiguration configuration,
        string sectionName,
        IReadOnlyList<ProxySqlPeerDefinition> peers,
        ProxySqlDefaults defaults,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider)
    {
        return CreateContext(configuration, sectionName, peers, defaults, new ProxySqlDatabasesOptions { LoggerFactory = loggerFactory, TimeProvider = timeProvider });
    }

    /// <summary>Binds configuration for the declared peers and starts a balancer with <paramref name="options"/>; used by generated <c>Create</c>.</summary>
    /// <param name="configuration">The root configuration.</param>
    /// <param name="sectionName">The section named in <see cref="ProxySqlDatabasesAttribute"/>.</param>
    /// <param name="peers">The declared peers, in declaration order.</param>
    /// <param name="defaults">Compile-time defaults from the attribute.</param>
    /// <param name="options">Logging, clock and the per-peer data source hook.</param>
    /// <returns>The context to pass to the generated constructor.</returns>
    /// <exception cref="ProxySqlConfigurationException">The configuration is invalid; the message names the path.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected static ProxySqlDatabasesContext CreateContext(
        IConfiguration configuration,
        string sectionName,
        IReadOnlyList<ProxySqlPeerDefinition> peers,
        ProxySqlDefaults defaults,
        ProxySqlDatabasesOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(options);
        var services = new BalancerServices(options.LoggerFactory, options.TimeProvider ?? TimeProvider.System, MySqlPeerConnector.Instance, Random.Shared, options.ConfigureDataSource, options.MeterFactory);
        return new ProxySqlDatabasesContext(Balancer.Start(configuration, sectionName, peers, defaults, services));
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _balancer.DisposeAsync();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _balancer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
