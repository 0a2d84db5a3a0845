using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ProxySql.EfBench;

/// <summary>A command interceptor that changes nothing: what any interceptor costs EF Core per command, for attribution.</summary>
internal sealed class NoOpCommandInterceptor : DbCommandInterceptor;
