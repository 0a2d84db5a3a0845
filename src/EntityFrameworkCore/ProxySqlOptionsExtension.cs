using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ProxySql;

namespace ProxySql.EntityFrameworkCore;

/// <summary>Carries the databases object to <see cref="ProxySqlRelationalConnection"/> through the context options.</summary>
internal sealed class ProxySqlOptionsExtension(ProxySqlDatabases databases) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public ProxySqlDatabases Databases { get; } = databases;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
        // The connection service is replaced through ReplaceService in UseProxySql.
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(ProxySqlOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"ProxySql.Gen={((ProxySqlOptionsExtension)Extension).Databases.GetType().Name} ";

        // The databases object is read from the options of each context, so every one shares EF's internal service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["ProxySql.Gen:Databases"] = ((ProxySqlOptionsExtension)Extension).Databases.GetType().FullName ?? "";
    }
}
