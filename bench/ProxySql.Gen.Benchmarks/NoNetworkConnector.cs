using MySqlConnector;
using ProxySql.Core;

namespace ProxySql.Benchmarks;

/// <summary>Every probe succeeds without touching the network, so selection is measured over peers that stay Up.</summary>
internal sealed class NoNetworkConnector : IPeerConnector
{
    public Task OpenAsync(MySqlConnection connection) => Task.CompletedTask;

    public Task ConnectProbeAsync(MySqlConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RunProbeStatementAsync(MySqlConnection session, string statement, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task CheckListenerAsync(string connectionString, Func<MySqlConnection> fresh, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> PingAsync(MySqlConnection session, CancellationToken cancellationToken) => Task.FromResult(true);
}
