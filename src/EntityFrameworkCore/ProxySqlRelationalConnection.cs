using ProxySql.Core;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MySqlConnector;
using Pomelo.EntityFrameworkCore.MySql.Storage.Internal;
using ProxySql;

namespace ProxySql.EntityFrameworkCore;

/// <summary>
/// Pomelo's connection service with its open replaced: each time EF Core opens, the balancer opens a connection on the peer
/// it picks and that connection becomes the context's connection until EF closes it.
/// </summary>
/// <remarks>
/// <see cref="MySqlConnection"/> is sealed and holds one session, so the context's connection object is swapped on every
/// open (<see cref="RelationalConnection.SetDbConnection"/> while closed) rather than retargeted. Before the first open
/// <c>Database.GetDbConnection()</c> is a placeholder without a password: open through <c>Database.OpenConnectionAsync()</c>.
/// </remarks>
[SuppressMessage("Usage", "EF1001:Internal EF Core API usage.", Justification = "Pomelo's connection service is the hook; Pomelo is pinned to 9.0.0.")]
internal sealed class ProxySqlRelationalConnection : MySqlRelationalConnection
{
    private readonly Balancer _balancer;
    private readonly string _connectionString;
    private readonly bool _withoutDatabase;
    private readonly SwapAwareOptionsValidator _validator;

    // The connection object EF holds now that this service created (the placeholder or a balancer's): the next swap
    // disposes it. EF's SetDbConnection would, but its reset is skipped while swapping (see Dispose).
    private MySqlConnection? _held;

    /// <summary>Resolved by EF Core's service provider.</summary>
    public ProxySqlRelationalConnection(RelationalConnectionDependencies dependencies, IMySqlConnectionStringOptionsValidator mySqlConnectionStringOptionsValidator)
        : this(dependencies, new SwapAwareOptionsValidator(mySqlConnectionStringOptionsValidator), BalancerFrom(dependencies), withoutDatabase: false)
    {
    }

    private ProxySqlRelationalConnection(
        RelationalConnectionDependencies dependencies,
        SwapAwareOptionsValidator validator,
        Balancer balancer,
        bool withoutDatabase)
        : base(dependencies, validator, dataSource: null)
    {
        _validator = validator;
        _balancer = balancer;
        _withoutDatabase = withoutDatabase;

        // Pomelo's validated form; the swap below clears EF's copy, and EF and Pomelo keep reading it (database name, master connection).
        _connectionString = base.ConnectionString ?? "";
    }

    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set => throw new InvalidOperationException(
            "The connection of a UseProxySql context is opened by the ProxySql.Gen balancer from its configuration; " +
            "change the ProxySql section (it reloads live) instead of setting a connection string on the context.");
    }

    public override void Dispose()
    {
        // SetDbConnection disposes the connection service first (it resets transactions and the command timeout): not
        // what a swap on open means, so that reset is skipped while swapping.
        if (!_validator.Swapping)
            base.Dispose();
    }

    /// <summary>
    /// The placeholder EF holds before the first open: EF reads its State (closed) and the database name from it; it is
    /// never opened. Built from the validated connection string as it is (Pomelo's own re-parses and rewrites it for every
    /// context), and disposed by the first swap so that it is not left to the finalizer.
    /// </summary>
    protected override DbConnection CreateDbConnection() => _held = new MySqlConnection(_connectionString);

    protected override void OpenDbConnection(bool errorsExpected) => SwapIn(OpenThroughBalancer(CancellationToken.None).AsTask().GetAwaiter().GetResult());

    protected override async Task OpenDbConnectionAsync(bool errorsExpected, CancellationToken cancellationToken) =>
        SwapIn(await OpenThroughBalancer(cancellationToken).ConfigureAwait(false));

    protected override IMySqlRelationalConnection CreateMasterConnectionCore(
        DbContextOptionsBuilder optionsBuilder,
        IMySqlConnectionStringOptionsValidator mySqlConnectionStringOptionsValidator) =>
        new ProxySqlRelationalConnection(Dependencies with { ContextOptions = optionsBuilder.Options }, new SwapAwareOptionsValidator(mySqlConnectionStringOptionsValidator), _balancer, withoutDatabase: true);

    private static Balancer BalancerFrom(RelationalConnectionDependencies dependencies)
    {
        var extension = dependencies.ContextOptions.FindExtension<ProxySqlOptionsExtension>()
            ?? throw new InvalidOperationException("ProxySqlRelationalConnection needs the options of UseProxySql.");
        return ProviderHooks.BalancerOf(extension.Databases);
    }

    /// <summary>The master connection (create or drop the database) opens with no default database; every other open is the balancer's.</summary>
    private ValueTask<MySqlConnection> OpenThroughBalancer(CancellationToken cancellationToken) =>
        _withoutDatabase ? ProviderHooks.OpenWithoutDatabaseAsync(_balancer, cancellationToken) : ProviderHooks.OpenAsync(_balancer, cancellationToken);

    /// <summary>
    /// Makes <paramref name="opened"/> the context's connection. The previous one (closed by EF, or the never-opened
    /// placeholder) is disposed: its session is back in the pool already, and a connection left undisposed costs a
    /// finalizer run (DbConnection is a Component); no command EF created on it is executed (<see cref="OpenFirstCommand"/>).
    /// </summary>
    private void SwapIn(MySqlConnection opened)
    {
        var previous = _held;
        _validator.Swapping = true;
        try
        {
            SetDbConnection(opened, contextOwnsConnection: true);
            _held = opened;
        }
        catch
        {
            opened.Dispose();
            throw;
        }
        finally
        {
            _validator.Swapping = false;
        }

        if (previous is not null && !ReferenceEquals(previous, opened) && previous.State == System.Data.ConnectionState.Closed)
            previous.Dispose();
    }
}
