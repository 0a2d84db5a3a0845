using System.Collections.Concurrent;
using MySqlConnector;

namespace ProxySql.HostingTests;

/// <summary>Workers doing open → short query → close through the balancer; statement errors from a kill are expected, open errors are not.</summary>
internal sealed class HostedWorkload(HostedDatabases databases)
{
    private long _opens;

    public long Opens => Interlocked.Read(ref _opens);

    public ConcurrentQueue<Exception> OpenErrors { get; } = new();

    public ConcurrentQueue<Exception> StatementErrors { get; } = new();

    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(stop), CancellationToken.None)));

    private async Task WorkAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            MySqlConnection connection;
            try
            {
                connection = await databases.OpenConnectionAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MySqlException or ProxySqlUnavailableException or TimeoutException)
            {
                OpenErrors.Enqueue(ex);
                continue;
            }

            Interlocked.Increment(ref _opens);
            await using (connection)
            {
                try
                {
                    await using var command = new MySqlCommand("SELECT SLEEP(0.005)", connection);
                    await command.ExecuteScalarAsync(CancellationToken.None);
                }
                catch (MySqlException ex)
                {
                    StatementErrors.Enqueue(ex);
                }
            }
        }
    }
}
