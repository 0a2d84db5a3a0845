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

    /// <summary>
    /// Operations per second of <paramref name="workers"/> workers for <paramref name="duration"/>, and this process's CPU
    /// time and allocated bytes per operation over the same span (MariaDB runs in its own process, so that is the client's
    /// work: EF Core, the driver and, for UseProxySql, the balancer; less sensitive to other processes' load than the rate).
    /// </summary>
    public async Task<Measurement> MeasureAsync(int workers, TimeSpan duration)
    {
        var operations = 0L;
        var until = DateTime.UtcNow + duration;
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = w; DateTime.UtcNow < until; i += workers)
            {
                await OperateAsync((i % 100) + 1).ConfigureAwait(false);
                Interlocked.Increment(ref operations);
            }
        }))).ConfigureAwait(false);
        var elapsed = started.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        return new Measurement(operations / elapsed.TotalSeconds, cpu.TotalMicroseconds / operations, (double)allocated / operations);
    }
}

/// <summary>One side's measurement: operations/s, client CPU µs per operation, bytes allocated per operation.</summary>
internal readonly record struct Measurement(double Rate, double CpuMicroseconds, double AllocatedBytes);
