using Microsoft.EntityFrameworkCore;

namespace ProxySql.Samples.EfCore;

/// <summary>A small model: customers and their orders.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    /// <summary>The customers.</summary>
    public DbSet<Customer> Customers => Set<Customer>();

    /// <summary>The orders.</summary>
    public DbSet<Order> Orders => Set<Order>();
}

/// <summary>A customer.</summary>
public sealed class Customer
{
    /// <summary>The key.</summary>
    public int Id { get; set; }

    /// <summary>The name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The orders.</summary>
    public List<Order> Orders { get; } = [];
}

/// <summary>An order.</summary>
public sealed class Order
{
    /// <summary>The key.</summary>
    public int Id { get; set; }

    /// <summary>The customer's key.</summary>
    public int CustomerId { get; set; }

    /// <summary>The amount.</summary>
    public decimal Total { get; set; }
}
