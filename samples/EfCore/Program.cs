using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ProxySql;
using ProxySql.Samples.EfCore;
using ProxySql.Testing;

// The rig stands in for the ProxySQL nodes of appsettings.json; an application reads its configuration as usual.
var appSettings = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
await using var rig = await SampleRig.StartAsync(appSettings);

// What an application writes: the databases class as a singleton, and a pooled DbContext over it.
var services = new ServiceCollection();
services.AddProxySqlDatabases<ShopDatabases>(rig.Configuration);
services.AddDbContextPool<ShopContext>((sp, options) => options.UseProxySql(
    sp.GetRequiredService<ShopDatabases>(),
    ServerVersion.Parse("10.11-mariadb"),
    mySql => mySql.EnableRetryOnFailure()));
await using var provider = services.BuildServiceProvider();
var databases = provider.GetRequiredService<ShopDatabases>();
Console.WriteLine($"server version through the balancer: {await ProxySqlServerVersion.AutoDetectAsync(databases)}");

await using (var scope = provider.CreateAsyncScope())
{
    var context = scope.ServiceProvider.GetRequiredService<ShopContext>();
    await context.Database.EnsureCreatedAsync();
    context.Customers.AddRange(Enumerable.Range(1, 10).Select(i => new Customer { Name = $"customer {i}" }));
    await context.SaveChangesAsync();
}

// 16 workers, each operation a pooled context: a query, every 4th an order placed in a transaction.
var operations = 0L;
var errors = new List<string>();
using var stop = new CancellationTokenSource();
var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
{
    for (var i = 0; !stop.IsCancellationRequested; i++)
    {
        try
        {
            await using var scope = provider.CreateAsyncScope();
            var context = scope.ServiceProvider.GetRequiredService<ShopContext>();
            var customerId = (i % 10) + 1;
            if (i % 4 == 0)
            {
                var strategy = context.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(async () =>
                {
                    await using var transaction = await context.Database.BeginTransactionAsync();
                    context.Orders.Add(new Order { CustomerId = customerId, Total = i });
                    await context.SaveChangesAsync();
                    await transaction.CommitAsync();
                });
            }
            else
            {
                await context.Orders.Where(o => o.CustomerId == customerId).SumAsync(o => o.Total);
            }

            Interlocked.Increment(ref operations);
        }
#pragma warning disable CA1031 // The sample prints every error a caller would see.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            lock (errors)
                errors.Add($"{ex.GetType().Name}: {ex.Message}");
        }
    }
})).ToArray();

void Print(string what) =>
    Console.WriteLine($"{what,-28} {Interlocked.Read(ref operations),7} operations, {errors.Count} errors | " +
        string.Join("  ", databases.Peers.Select(p => $"{p.Name} {p.State} inUse={p.ConnectionsInUse}")));

var clock = Stopwatch.StartNew();
await Task.Delay(TimeSpan.FromSeconds(2));
Print("running");
rig.Relays[1].Mode = RelayMode.Killed;
Print("Edge2 killed");
await Task.Delay(TimeSpan.FromSeconds(2));
Print("2 s after the kill");
rig.Relays[1].Mode = RelayMode.Up;
await Task.Delay(TimeSpan.FromSeconds(2));
await stop.CancelAsync();
await Task.WhenAll(workers);
Print($"done after {clock.Elapsed.TotalSeconds:0.0} s");
foreach (var error in errors.Take(5))
    Console.WriteLine($"  {error}");
Console.WriteLine("Errors, if any, are statements that were in flight on Edge2 when it was killed; every open failed over.");
