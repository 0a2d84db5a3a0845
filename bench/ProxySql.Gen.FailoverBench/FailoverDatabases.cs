using Microsoft.Extensions.Configuration;

namespace ProxySql.FailoverBench;

/// <summary>What the generator emits for three peers, written by hand so the benchmark does not depend on it.</summary>
internal sealed class FailoverDatabases : ProxySqlDatabases
{
    private static readonly ProxySqlPeerDefinition[] Definitions = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "Edge3")];

    public FailoverDatabases(IConfiguration configuration)
        : base(CreateContext(configuration, "ProxySql", Definitions, new ProxySqlDefaults(), loggerFactory: null, timeProvider: null))
    {
    }
}
