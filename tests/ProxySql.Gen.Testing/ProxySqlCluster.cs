namespace ProxySql.Testing;

/// <summary>
/// Several <see cref="ProxySqlNode"/>s, each in front of the same MariaDB server(s), started together and
/// disposed together: the fleet a balancer spreads over.
/// </summary>
public sealed class ProxySqlCluster : IAsyncDisposable
{
    private ProxySqlCluster(IReadOnlyList<ProxySqlNode> nodes) => Nodes = nodes;

    /// <summary>The nodes, in start order.</summary>
    public IReadOnlyList<ProxySqlNode> Nodes { get; }

    /// <summary>Starts <paramref name="count"/> nodes concurrently, each in front of every server in <paramref name="backends"/>.</summary>
    /// <param name="count">How many nodes (at least 1).</param>
    /// <param name="backends">The servers in every node's hostgroup 0.</param>
    /// <param name="options">Options for every node, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start; nodes already up are removed.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="ProxySqlStartException">The binary is missing or a node did not become ready.</exception>
    public static async Task<ProxySqlCluster> StartAsync(int count, IReadOnlyList<MariaDbServer> backends, ProxySqlNodeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(backends);
        ProxySqlBinary.Require(options?.BinaryPath); // one clear message instead of one per node
        Task<ProxySqlNode>[] starts = [.. Enumerable.Range(0, count).Select(_ => ProxySqlNode.StartAsync(backends, options, cancellationToken))];
        try
        {
            return new ProxySqlCluster(await Task.WhenAll(starts).ConfigureAwait(false));
        }
        catch
        {
            foreach (Task<ProxySqlNode> start in starts)
            {
                if (start.IsCompletedSuccessfully)
                {
                    await start.Result.DisposeAsync().ConfigureAwait(false);
                }
            }

            throw;
        }
    }

    /// <summary>Starts <paramref name="count"/> nodes in front of one server.</summary>
    /// <param name="count">How many nodes (at least 1).</param>
    /// <param name="backend">The server in every node's hostgroup 0.</param>
    /// <param name="options">Options for every node, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    public static Task<ProxySqlCluster> StartAsync(int count, MariaDbServer backend, ProxySqlNodeOptions? options = null, CancellationToken cancellationToken = default) =>
        StartAsync(count, [backend], options, cancellationToken);

    /// <summary>The node whose MySQL port is <paramref name="port"/>, or <see langword="null"/>.</summary>
    /// <param name="port">A client port, e.g. from a handed-out connection's connection string.</param>
    /// <returns>The node or <see langword="null"/>.</returns>
    public ProxySqlNode? NodeOnPort(int port) => Nodes.FirstOrDefault(n => n.Port == port);

    /// <summary>Kills every node and deletes its files.</summary>
    /// <returns>A task that completes when all nodes are gone.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (ProxySqlNode node in Nodes)
        {
            await node.DisposeAsync().ConfigureAwait(false);
        }
    }
}
