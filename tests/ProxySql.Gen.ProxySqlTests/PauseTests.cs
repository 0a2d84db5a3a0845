using Xunit.Abstractions;

namespace ProxySql.ProxySqlTests;

/// <summary>PROXYSQL PAUSE of one node under 16 workers (and the relay's Paused mode, its stand-in).</summary>
[Trait("Category", "ProxySql")]
public sealed class PauseTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(RigKind.ProxySql)]
    [InlineData(RigKind.Relay)]
    public Task Paused_node_drains_to_zero_sessions_without_caller_errors_takes_no_new_session_and_serves_after_resume(RigKind kind) =>
        Scenarios.PauseAsync(kind, new FleetOptions(), output);
}
