using System.Diagnostics;
using MySqlConnector;

namespace ProxySql.FailoverBench;

/// <summary>
/// The algorithm django-proxysql describes in its README, on MySqlConnector: each open picks a random peer among
/// those not marked down; a peer whose connect fails is marked down for CHECK_INTERVAL (its default, 30 s) and the
/// open moves on to another up peer; the caller gets an error only when every up peer failed. Each peer has its own
/// MySqlConnector pool and the driver's default connect timeout (15 s). Written from the README's description.
/// </summary>
internal sealed class DjangoStyleBalancer : IBalancer
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);
    private readonly string[] connectionStrings;
    private readonly long[] downUntil;

    public DjangoStyleBalancer(string sharedConnectionString, int port)
    {
        connectionStrings = [.. Enumerable.Range(0, PeerSet.Addresses.Length).Select(i => new MySqlConnectionStringBuilder(sharedConnectionString)
        {
            Server = PeerSet.Host(i),
            Port = (uint)port,
        }.ConnectionString)];
        downUntil = new long[connectionStrings.Length];
    }

    public string Name => "django-proxysql algorithm";

    public IReadOnlyList<ProxySqlPeer>? Peers => null;

    public async ValueTask<MySqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        int tried = 0; // bit mask of peers this open has tried
        Exception? last = null;
        while (PickUp(tried) is int peer and >= 0)
        {
            tried |= 1 << peer;
            var connection = new MySqlConnection(connectionStrings[peer]);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return connection;
            }
            catch (MySqlException e)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                Volatile.Write(ref downUntil[peer], Stopwatch.GetTimestamp() + (long)(CheckInterval.TotalSeconds * Stopwatch.Frequency));
                last = e;
            }
        }

        throw last ?? new InvalidOperationException("django-proxysql algorithm: every peer is marked down.");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (string connectionString in connectionStrings)
        {
            using var connection = new MySqlConnection(connectionString);
            await MySqlConnection.ClearPoolAsync(connection).ConfigureAwait(false);
        }
    }

    private int PickUp(int tried)
    {
        long now = Stopwatch.GetTimestamp();
        Span<int> up = stackalloc int[connectionStrings.Length];
        int count = 0;
        for (int i = 0; i < connectionStrings.Length; i++)
        {
            if ((tried & (1 << i)) == 0 && Volatile.Read(ref downUntil[i]) <= now)
            {
                up[count++] = i;
            }
        }

#pragma warning disable CA5394 // load spreading, not security
        return count == 0 ? -1 : up[Random.Shared.Next(count)];
#pragma warning restore CA5394
    }
}
