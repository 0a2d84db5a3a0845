using Microsoft.EntityFrameworkCore.Storage;

namespace ProxySql.EntityFrameworkCore;

/// <summary>EF Core's command builders, each building an <see cref="OpenFirstCommand"/> around EF's command.</summary>
internal sealed class OpenFirstCommandBuilderFactory(RelationalCommandBuilderDependencies dependencies) : RelationalCommandBuilderFactory(dependencies)
{
    public override IRelationalCommandBuilder Create() => new Builder(Dependencies);

    private sealed class Builder(RelationalCommandBuilderDependencies dependencies) : RelationalCommandBuilder(dependencies)
    {
        public override IRelationalCommand Build() => new OpenFirstCommand(base.Build());
    }
}
