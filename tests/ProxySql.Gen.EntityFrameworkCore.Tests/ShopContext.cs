using Microsoft.EntityFrameworkCore;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>A small model: orders with a concurrency token.</summary>
internal sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Order>(order =>
        {
            order.Property(o => o.Customer).HasMaxLength(64);
            order.Property(o => o.Version).IsConcurrencyToken();
        });
}

internal sealed class Order
{
    public int Id { get; set; }

    public string Customer { get; set; } = "";

    public decimal Total { get; set; }

    public int Version { get; set; }
}
