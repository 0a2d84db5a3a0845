using Xunit.Abstractions;

namespace ProxySql.EntityFrameworkCore.Tests;

/// <summary>
/// The faults of <see cref="EfFaultTests"/> on three real proxysql 2.7 nodes (PROXYSQL_BIN): SIGKILL, <c>PROXYSQL PAUSE</c>,
/// and a blackhole through a relay in front of one node.
/// </summary>
[Trait("Category", "ProxySql")]
public sealed class EfProxySqlFaultTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Killed_node_fails_no_operation_except_statements_in_flight_on_it(bool pooled) =>
        EfFaultScenarios.KillAsync(RigKind.ProxySql, pooled, output);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Paused_node_drains_to_zero_client_connections_with_no_error(bool pooled) =>
        EfFaultScenarios.PauseAsync(RigKind.ProxySql, pooled, output);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public Task Blackholed_node_fails_no_operation(bool pooled) =>
        EfFaultScenarios.BlackholeAsync(RigKind.ProxySql, pooled, output);

    [Fact]
    public Task Every_node_down_surfaces_our_transient_exception_and_the_retrying_strategy_recovers_when_a_node_returns() =>
        EfFaultScenarios.AllDownAsync(RigKind.ProxySql, output);

    [Fact]
    public Task EF_core_ADO_NET_and_OpenConnectionAsync_on_one_balancer_keep_one_consistent_count() =>
        EfFaultScenarios.SharedBalancerAsync(RigKind.ProxySql, output);
}
