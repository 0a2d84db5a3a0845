using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace ProxySql.EfBench;

/// <summary>One way of running EF Core operations: its options, and a context per operation, new or pooled.</summary>
internal sealed class Side(string name, DbContextOptions<BenchContext> options, bool pooled)
{
    private readonly PooledDbContextFactory<BenchContext>? _pool = pooled ? new PooledDbContextFactory<BenchContext>(options, poolSize: 64) : null;

    public string Name { get; } = name;

    /// <summary>One operation: a context, a query by key, the context returned or disposed.</summary>
    public async Task OperateAsync(int key)
    {
        var context = _pool is null ? new BenchContext(options) : await _pool.CreateDbContextAsync().ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
            await context.Orders.AsNoTracking().Where(o => o.Id == key).FirstOrDefaultAsync().ConfigureAwait(false);
    }

    /// <summary>Operations per second of <paramref name="workers"/> workers for <paramref name="duration"/>.</summary>
    public async Task<double> MeasureAsync(int workers, TimeSpan duration)
    {
        var operations = 0L;
        var until = DateTime.UtcNow + duration;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = w; DateTime.UtcNow < until; i += workers)
            {
                await OperateAsync((i % 100) + 1).ConfigureAwait(false);
                Interlocked.Increment(ref operations);
            }
        }))).ConfigureAwait(false);
        return operations / started.Elapsed.TotalSeconds;
    }
}
