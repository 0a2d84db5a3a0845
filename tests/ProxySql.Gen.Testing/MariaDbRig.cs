namespace ProxySql.Testing;

/// <summary>
/// Several <see cref="MariaDbServer"/> instances started together and disposed together.
/// </summary>
public sealed class MariaDbRig : IAsyncDisposable
{
    private MariaDbRig(IReadOnlyList<MariaDbServer> servers) => Servers = servers;

    /// <summary>The servers, in start order.</summary>
    public IReadOnlyList<MariaDbServer> Servers { get; }

    /// <summary>Starts <paramref name="count"/> servers concurrently.</summary>
    /// <param name="count">How many servers (at least 1).</param>
    /// <param name="options">Options for every server, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start; servers already up are removed.</param>
    /// <returns>The running rig.</returns>
    public static async Task<MariaDbRig> StartAsync(int count, MariaDbServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Task<MariaDbServer>[] starts = Enumerable.Range(0, count)
            .Select(_ => MariaDbServer.StartAsync(options, cancellationToken))
            .ToArray();
        try
        {
            return new MariaDbRig(await Task.WhenAll(starts).ConfigureAwait(false));
        }
        catch
        {
            foreach (Task<MariaDbServer> start in starts)
            {
                if (start.IsCompletedSuccessfully)
                {
                    await start.Result.DisposeAsync().ConfigureAwait(false);
                }
            }

            throw;
        }
    }

    /// <summary>Kills every server and deletes its files.</summary>
    /// <returns>A task that completes when all servers are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (MariaDbServer server in Servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
