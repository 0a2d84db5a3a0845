using Xunit.Abstractions;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>Peer faults under 16 EF Core workers on real MariaDB behind relays (<see cref="EfFaultScenarios"/>).</summary>
public sealed class EfFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Killed_peer_fails_no_operation_except_statements_in_flight_on_it(bool pooled) =>
        EfFaultScenarios.KillAsync(RigKind.Relay, pooled, output);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Paused_peer_drains_to_zero_sessions_with_no_error(bool pooled) =>
        EfFaultScenarios.PauseAsync(RigKind.Relay, pooled, output);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Blackholed_peer_fails_no_operation(bool pooled) =>
        EfFaultScenarios.BlackholeAsync(RigKind.Relay, pooled, output);

    [Fact]
    public Task Every_peer_down_surfaces_our_transient_exception_and_the_retrying_strategy_recovers_when_a_peer_returns() =>
        EfFaultScenarios.AllDownAsync(RigKind.Relay, output);

    [Fact]
    public Task EF_core_ADO_NET_and_OpenConnectionAsync_on_one_balancer_keep_one_consistent_count() =>
        EfFaultScenarios.SharedBalancerAsync(RigKind.Relay, output);
}
