using Microsoft.EntityFrameworkCore;

namespace ProxySql.EfBench;

/// <summary>One table of orders, read by key.</summary>
internal sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    public DbSet<BenchOrder> Orders => Set<BenchOrder>();
}

internal sealed class BenchOrder
{
    public int Id { get; set; }

    public string Customer { get; set; } = "";

    public decimal Total { get; set; }
}
