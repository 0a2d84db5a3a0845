using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Internal;
using MySqlConnector;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>
/// N workers doing EF Core operations through UseProxySql, each on a new context or on a pooled one: mostly a query,
/// every 8th an insert. Records what callers see: errors from opens (our unavailable exception) and from statements
/// (the driver's), and which peer served each open.
/// </summary>
internal sealed class EfWorkload
{
    private readonly DbContextOptions<ShopContext> _options;
    private readonly PooledDbContextFactory<ShopContext>? _pool;
    private readonly int[] _ports;
    private readonly long[] _opensByPeer;
    private readonly ConcurrentQueue<Exception> _openErrors = new();
    private readonly ConcurrentQueue<Exception> _statementErrors = new();
    private long _operations;

    public EfWorkload(ThreePeers databases, EfRig rig, bool pooled, Action<MySqlDbContextOptionsBuilder>? mySql = null)
    {
        _ports = [.. rig.Nodes.Select(n => n.Port)];
        _opensByPeer = new long[_ports.Length];
        _options = EfRig.Options(databases, mySql, b => b.AddInterceptors(new OpenCounter(this)));
        _pool = pooled ? new PooledDbContextFactory<ShopContext>(_options, poolSize: 32) : null;
    }

    public IReadOnlyCollection<Exception> OpenErrors => _openErrors;

    public IReadOnlyCollection<Exception> StatementErrors => _statementErrors;

    public long Operations => Interlocked.Read(ref _operations);

    public long OpensOn(int peer) => Interlocked.Read(ref _opensByPeer[peer]);

    public long[] SnapshotOpensByPeer() => [.. _opensByPeer.Select((_, i) => OpensOn(i))];

    public string Summary => $"{Operations} operations, {OpenErrors.Count} open errors, {StatementErrors.Count} statement errors, opens by peer [{string.Join(", ", SnapshotOpensByPeer())}]" +
        (StatementErrors.Concat(OpenErrors).FirstOrDefault() is { } first ? $"; first error: {first.GetType().Name}: {first.Message}" : "");

    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, stop), CancellationToken.None)));

    public static bool IsUnavailable(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is ProxySqlUnavailableException)
                return true;
        }

        return false;
    }

    /// <summary>The driver's error (a <see cref="MySqlException"/>, possibly wrapped by EF Core), not one of ours.</summary>
    public static bool IsDriverError(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            if (current is MySqlException)
                return !IsUnavailable(error);
        }

        return false;
    }

    private async Task WorkerAsync(int worker, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                var context = _pool is null ? new ShopContext(_options) : await _pool.CreateDbContextAsync(CancellationToken.None);
                await using (context)
                {
                    if (i % 8 == 0)
                    {
                        context.Orders.Add(new Order { Customer = $"w{worker}", Total = i });
                        await context.SaveChangesAsync(CancellationToken.None);
                    }
                    else
                    {
                        await context.Orders.AsNoTracking().Where(o => o.Total >= 0).OrderByDescending(o => o.Id).Take(1).ToListAsync(CancellationToken.None);
                    }
                }

                Interlocked.Increment(ref _operations);
            }
#pragma warning disable CA1031 // The workload records every error a caller would see.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (IsUnavailable(ex) ? _openErrors : _statementErrors).Enqueue(ex);
            }
        }
    }

    private sealed class OpenCounter(EfWorkload workload) : DbConnectionInterceptor
    {
        private readonly ConcurrentDictionary<string, int> _peerByConnectionString = new(StringComparer.Ordinal);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            var peer = _peerByConnectionString.GetOrAdd(connection.ConnectionString, cs => Array.IndexOf(workload._ports, (int)new MySqlConnectionStringBuilder(cs).Port));
            if (peer >= 0)
                Interlocked.Increment(ref workload._opensByPeer[peer]);
            return Task.CompletedTask;
        }
    }
}
