using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>SIGKILL of one node under 16 workers, then a restart on the same config and datadir (and the relay's Killed mode).</summary>
[Trait("Category", "ProxySql")]
public sealed class KillTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RigKind.ProxySql)]
    [InlineData(RigKind.Relay)]
    public Task Killed_node_fails_no_open_and_only_its_in_flight_statements_and_serves_again_after_restart(RigKind kind) =>
        Scenarios.KillAsync(kind, new FleetOptions(), output);
}
