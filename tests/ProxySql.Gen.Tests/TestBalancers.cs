using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ProxySql.Configuration;
using ProxySql.Core;

namespace ProxySql.Tests;

/// <summary>Builds balancers over a <see cref="ScriptedConnector"/> from in-memory configuration.</summary>
internal static class TestBalancers
{
    public static readonly ProxySqlPeerDefinition[] ThreePeers = [new("Edge1", "Edge1"), new("Edge2", "Edge2"), new("Edge3", "proxysql-c")];

    public static Dictionary<string, string?> Config(string? strategy = null, params (string Key, string Server, int Weight)[] peers)
    {
        var values = new Dictionary<string, string?>
        {
            ["ProxySql:ConnectionString"] = "Database=app;User ID=app;Password=s3cret-pw",
            ["ProxySql:CheckInterval"] = "30",
            ["ProxySql:ConnectTimeout"] = "2",
            ["ProxySql:HedgeDelay"] = "0.1",
            ["ProxySql:ProbeInterval"] = "3600",
        };
        if (strategy is not null)
            values["ProxySql:Strategy"] = strategy;
        if (peers.Length == 0)
            peers = [("Edge1", "a", 1), ("Edge2", "b", 1), ("proxysql-c", "c", 1)];
        foreach (var (key, server, weight) in peers)
        {
            values[$"ProxySql:Peers:{key}:ConnectionString"] = $"Server={server};Port=6033";
            values[$"ProxySql:Peers:{key}:Weight"] = weight.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return values;
    }

    public static IConfiguration Build(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    public static Balancer Create(ScriptedConnector connector, FakeTimeProvider time, Dictionary<string, string?>? values = null, ILoggerFactory? loggers = null, int seed = 7, ProxySqlPeerDefinition[]? peers = null, bool waitForFirstCheck = true)
    {
        var settings = SettingsReader.Read(Build(values ?? Config()), "ProxySql", peers ?? ThreePeers, new ProxySqlDefaults());
        var balancer = new Balancer(settings, new BalancerServices(loggers, time, connector, new LockedRandom(seed), null));
        if (waitForFirstCheck)
            WaitForFirstCheck(balancer);
        return balancer;
    }

    /// <summary>
    /// Waits (bounded, real time) for the check every peer gets at start, which runs on the thread pool: most tests
    /// start from peers known Up and then script their faults.
    /// </summary>
    public static void WaitForFirstCheck(Balancer balancer)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (balancer.Peers.Any(p => p.State == ProxySqlPeerState.Unknown) || balancer.Prober.RoundRunning)
        {
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException("The first check of every peer did not settle within 10 s: " + string.Join(", ", balancer.Peers) + " " + balancer.Prober.LastRound?.Status + " " + balancer.Prober.LastRound?.Exception);
            Thread.Sleep(1);
        }
    }

    /// <summary>
    /// Edge1's attempt hangs on the returned source until the test ends it; the hedge after 100 ms opens on Edge2, whose
    /// connection the caller gets (still open).
    /// </summary>
    public static async Task<(TaskCompletionSource Slow, MySqlConnector.MySqlConnection Connection)> HedgeWonByEdge2Async(Balancer balancer, ScriptedConnector connector, FakeTimeProvider time)
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connector.On("a", _ => slow.Task);
        var open = balancer.OpenConnectionAsync().AsTask();
        await UntilAsync(() => connector.Opens("a") == 1, "attempt on Edge1 started");
        time.AdvanceSteadily(TimeSpan.FromMilliseconds(100));
        var connection = await open.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Same(balancer.Peers[1], balancer.PeerOf(connection));
        return (slow, connection);
    }

    /// <summary>Waits (bounded, real time) for work the fake clock released to settle on the thread pool.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException("Not reached within 10 s: " + what);
            await Task.Delay(1);
        }
    }

    /// <summary>A seeded, repeatable random source that concurrent opens can share.</summary>
    private sealed class LockedRandom(int seed) : Random(seed)
    {
        private readonly Lock _gate = new();

        public override int Next(int maxValue)
        {
            lock (_gate)
                return base.Next(maxValue);
        }

        public override long NextInt64(long maxValue)
        {
            lock (_gate)
                return base.NextInt64(maxValue);
        }

        public override double NextDouble()
        {
            lock (_gate)
                return base.NextDouble();
        }
    }
}
