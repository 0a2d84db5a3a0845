using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using ProxySql.Balancing;
using ProxySql.Configuration;
using ProxySql.Diagnostics;

namespace ProxySql;

/// <summary>
/// The engine behind <see cref="ProxySqlDatabases"/>: picks a peer, opens on it with a per-attempt timeout and
/// hedging, fails over, marks peers Down and recovers them. Decisions live in pure pieces
/// (<see cref="PeerSelector"/>, <see cref="PeerHealth"/>, <see cref="FailureClassifier"/>); this class is the I/O shell.
/// </summary>
internal sealed partial class Balancer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly IPeerConnector _connector;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ProxySqlPeer[] _peers;
    private readonly SingleFlight<AttemptOutcome>[] _probes;
    private readonly ObjectPool<TaskOrDelay> _waiters = new(64);
    private readonly CancellationTokenSource _stopping = new();

    // Captured once: background work that starts after DisposeAsync must see a cancelled token, not a disposed source.
    private readonly CancellationToken _stoppingToken;
    private readonly BalancerTelemetry _telemetry;
    private BalancerSettings _settings;
    private ProbeResult? _lastAllDownProbe;
    private readonly ITimer _probeTimer;
    private Task? _probeRound;
    private int _probeRoundRunning;
    private IDisposable? _configurationWatch;
    private long _roundRobin;
    private int _disposed;

    internal Balancer(BalancerSettings settings, ILoggerFactory? loggerFactory, TimeProvider time, IPeerConnector connector, Random random)
    {
        _settings = settings;
        _time = time;
        _connector = connector;
        _random = random;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProxySql.Gen");
        _peers = new ProxySqlPeer[settings.Peers.Count];
        _probes = new SingleFlight<AttemptOutcome>[_peers.Length];
        for (var i = 0; i < _peers.Length; i++)
        {
            _peers[i] = new ProxySqlPeer(this, i, settings.Peers[i], new PeerHealth());
            _probes[i] = new SingleFlight<AttemptOutcome>();
        }

        _stoppingToken = _stopping.Token;
        _telemetry = new BalancerTelemetry(_peers);
        DataSource = new BalancerDataSource(this);
        _probeTimer = StartProbing();
    }

    public IReadOnlyList<ProxySqlPeer> Peers => _peers;

    public DbDataSource DataSource { get; }

    internal BalancerSettings Settings => Volatile.Read(ref _settings);

    internal TimeProvider Time => _time;

    public static Balancer Start(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults, ILoggerFactory? loggerFactory, TimeProvider timeProvider)
    {
        var settings = SettingsReader.Read(configuration, sectionName, peers, defaults);
        var balancer = new Balancer(settings, loggerFactory, timeProvider, MySqlPeerConnector.Instance, Random.Shared);
        balancer.WatchConfiguration(configuration, sectionName, peers, defaults);
        return balancer;
    }

    /// <summary>Opens a connection on a healthy peer, failing over and hedging as needed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        using var activity = BalancerTelemetry.StartOpen();
        var tried = 0UL;
        var failures = default(OpenFailures);
        var probedAllDown = false;

        while (true)
        {
            var peer = Select(tried);
            if (peer is null)
            {
                if (tried != 0 || probedAllDown)
                    throw NoPeerCouldServe(failures, activity);

                // Every peer is Down or Draining and this caller has not tried any: share one probe of the peer
                // down longest instead of failing fast or letting each caller pay a connect timeout.
                var target = LongestUnavailable() ?? throw NoPeerCouldServe(failures, activity);
                var probed = await SharedProbe(target).WaitAsync(cancellationToken).ConfigureAwait(false);
                probedAllDown = true;
                if (probed.Succeeded)
                    continue;
                failures.Add(probed);
                if (probed.Kind == FailureKind.Configuration && AllEnabledPeersFailedOnConfiguration())
                {
                    activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "configuration error on every peer");
                    ExceptionDispatchInfo.Throw(probed.Error!);
                }

                throw NoPeerCouldServe(failures, activity);
            }

            tried |= 1UL << peer.Index;
            var attempt = StartAttempt(peer);
            if (!await TaskOrDelay.WaitAsync(attempt.Open, HedgeWait(), _time, _waiters, cancellationToken).ConfigureAwait(false))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    _ = SettleLateAsync(attempt);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                // Slow: hand over to the hedging path, which races this attempt against the next peers.
                var hedged = await HedgeAsync(attempt, tried, failures, cancellationToken).ConfigureAwait(false);
                if (hedged.Winner is { } winner)
                    return HandOut(winner, started, activity);
                failures = hedged.Failures;
                tried = ulong.MaxValue;
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            var outcome = Complete(attempt);
            if (outcome.Succeeded)
                return HandOut(outcome, started, activity);
            failures.Add(outcome);
            NoteFailover(outcome);
        }
    }

    /// <summary>Opens on one given peer, whatever its state.</summary>
    public async ValueTask<MySqlConnection> OpenPinnedAsync(ProxySqlPeer peer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var started = _time.GetTimestamp();
        using var activity = BalancerTelemetry.StartOpen();
        var outcome = await FinishAsync(StartAttempt(peer), cancellationToken).ConfigureAwait(false);
        if (outcome.Succeeded)
            return HandOut(outcome, started, activity);
        cancellationToken.ThrowIfCancellationRequested();
        if (outcome.Kind == FailureKind.Timeout)
            throw new ProxySqlUnavailableException($"ProxySQL peer {peer.Name} ({peer.Settings.Endpoint}) did not open within the connect timeout of {Settings.ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", outcome.Error);
        ExceptionDispatchInfo.Throw(outcome.Error!);
        return null;
    }

    /// <summary>A connection handed out on <paramref name="peer"/> was closed.</summary>
    internal void OnConnectionReturned(ProxySqlPeer peer)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Returned after the pools were cleared on dispose: clear again so no idle session outlives the balancer.
            _ = ClearPoolQuietlyAsync(peer.Name, peer.Settings.ConnectionString);
            return;
        }

        if (!peer.Health.IsDraining && peer.Settings.Enabled)
            return;

        // Its pool was cleared when the drain began, so this session was discarded rather than pooled; clear again
        // in case a pinned open made new sessions meanwhile.
        _ = ClearPoolQuietlyAsync(peer.Name, peer.Settings.ConnectionString);
        if (peer.ConnectionsInUse == 0)
            Log.PeerDrained(_logger, peer.Name, peer.Settings.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _configurationWatch?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _probeTimer.DisposeAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _probeRound) is { } round)
            await round.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _telemetry.Dispose();
        foreach (var waiter in _waiters.Drain())
            waiter.Dispose();
        foreach (var peer in _peers)
            await ClearPoolQuietlyAsync(peer.Name, peer.Settings.ConnectionString).ConfigureAwait(false);

        _stopping.Dispose();
    }

    /// <summary>Picks the next peer among those Up, Enabled and not yet tried; starts due recovery probes on the way.</summary>
    internal ProxySqlPeer? Select(ulong excluded)
    {
        var eligible = Eligible(excluded, startRecovery: true);
        if (eligible == 0)
            return null;
        var peers = _peers;
        Span<int> weights = stackalloc int[peers.Length];
        Span<int> inUse = stackalloc int[peers.Length];
        for (var i = 0; i < peers.Length; i++)
        {
            if ((eligible & (1UL << i)) != 0)
            {
                weights[i] = peers[i].Settings.Weight;
                inUse[i] = peers[i].ConnectionsInUse;
            }
        }

        var index = PeerSelector.Select(Settings.Strategy, eligible, weights, inUse, ref _roundRobin, _random);
        return index < 0 ? null : peers[index];
    }

    private ulong Eligible(ulong excluded, bool startRecovery)
    {
        var eligible = 0UL;
        var peers = _peers;
        DateTimeOffset? now = null;
        for (var i = 0; i < peers.Length; i++)
        {
            var peer = peers[i];
            if (!peer.Settings.Enabled)
                continue;
            var health = peer.Health;
            if (health.IsDown)
            {
                if (startRecovery && health.IsRetryDue(now ??= _time.GetUtcNow()))
                    StartRecovery(peer);
                continue;
            }

            if (!health.IsDraining && (excluded & (1UL << i)) == 0)
                eligible |= 1UL << i;
        }

        return eligible;
    }

    private void StartRecovery(ProxySqlPeer peer)
    {
        if (Volatile.Read(ref _disposed) != 0)
            return;
        _ = _probes[peer.Index].Run(static s => s.Balancer.ProbeAsync(s.Peer), (Balancer: this, Peer: peer));
    }

    /// <summary>One open on <paramref name="peer"/> shared by whoever needs to know whether it is back.</summary>
    private Task<AttemptOutcome> ProbeAsync(ProxySqlPeer peer) => Task.Run(async () =>
    {
        if (Volatile.Read(ref _disposed) != 0)
            return new AttemptOutcome(peer, null, FailureKind.Cancelled, new ObjectDisposedException(nameof(ProxySqlDatabases)));
        var outcome = await FinishAsync(StartAttempt(peer), _stoppingToken).ConfigureAwait(false);
        if (outcome.Connection is { } connection)
        {
            // Back to the pool: the next caller on this peer reuses the session the probe opened.
            await ReleaseAsync(peer, connection).ConfigureAwait(false);
            return outcome with { Connection = null };
        }

        return outcome;
    });

    /// <summary>
    /// The probe callers share when every peer is down. A failed one answers the callers arriving within
    /// <see cref="AllDownProbeReuse"/> too: that bounds probing to about one per second per application
    /// while the cluster is down, and a recovered cluster is still noticed within a second.
    /// </summary>
    private Task<AttemptOutcome> SharedProbe(ProxySqlPeer target)
    {
        if (Volatile.Read(ref _lastAllDownProbe) is { } last && _time.GetElapsedTime(last.CompletedAt) < AllDownProbeReuse(Settings))
            return Task.FromResult(last.Outcome);
        return _probes[target.Index].Run(static s => s.Balancer.AllDownProbeAsync(s.Peer), (Balancer: this, Peer: target));
    }

    private async Task<AttemptOutcome> AllDownProbeAsync(ProxySqlPeer peer)
    {
        var outcome = await ProbeAsync(peer).ConfigureAwait(false);

        // It took a new session: whatever made it drain is over.
        if (outcome.Succeeded && peer.Health.SetDraining(false, _time.GetUtcNow()))
            Log.PeerResumed(_logger, peer.Name, peer.Settings.Endpoint);
        Volatile.Write(ref _lastAllDownProbe, outcome.Succeeded ? null : new ProbeResult(_time.GetTimestamp(), outcome));
        if (!outcome.Succeeded && outcome.Kind != FailureKind.Cancelled)
            Log.Unavailable(_logger, DescribePeers());
        return outcome;
    }

    internal static TimeSpan AllDownProbeReuse(BalancerSettings settings) =>
        settings.CheckInterval < TimeSpan.FromSeconds(1) ? settings.CheckInterval : TimeSpan.FromSeconds(1);

    private ProxySqlPeer? LongestUnavailable()
    {
        ProxySqlPeer? oldest = null;
        foreach (var peer in _peers)
        {
            if (!peer.Settings.Enabled || peer.Health.IsUp)
                continue;
            if (oldest is null || peer.Health.UnavailableSince < oldest.Health.UnavailableSince)
                oldest = peer;
        }

        return oldest;
    }

    private bool AllEnabledPeersFailedOnConfiguration()
    {
        foreach (var peer in _peers)
        {
            if (peer.Settings.Enabled && peer.Health.LastFailure != FailureKind.Configuration)
                return false;
        }

        return true;
    }

    /// <summary>
    /// Starts the driver's open without a cancellation token: a cancellable token makes MySqlConnector allocate a
    /// linked token source on every open. The connect timeout and the caller's cancellation are enforced by not
    /// waiting (<see cref="FinishAsync"/>); the driver's own Connect Timeout ends an abandoned attempt.
    /// </summary>
    private Attempt StartAttempt(ProxySqlPeer peer)
    {
        var epoch = peer.Health.Epoch;
        var connection = _connector.CreateConnection(peer.Settings.ConnectionString);
        Task open;
        try
        {
            open = _connector.OpenAsync(connection, CancellationToken.None);
        }
#pragma warning disable CA1031 // Any synchronous throw is that attempt's failure, classified like an asynchronous one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            open = Task.FromException(ex);
        }

        return new Attempt(peer, connection, open, _time.GetTimestamp(), epoch);
    }

    /// <summary>
    /// Settles a finished attempt: health, and the failure metric (a success is counted when handed out, so a probe's
    /// or a hedge loser's is not). Whatever the driver reports is the peer's doing.
    /// </summary>
    private AttemptOutcome Complete(in Attempt attempt)
    {
        var peer = attempt.Peer;
        if (attempt.Open.IsCompletedSuccessfully)
        {
            if (peer.Health.MarkUp(attempt.Epoch))
                Log.PeerUp(_logger, peer.Name, peer.Settings.Endpoint);
            return new AttemptOutcome(peer, attempt.Connection, default, null);
        }

        var error = attempt.Open.Exception?.InnerException ?? new OperationCanceledException("The open was cancelled.");
        var kind = FailureClassifier.Classify(error, attemptTimedOut: false, callerCancelled: false);
        attempt.Connection.Dispose();
        _telemetry.Opened(peer.Name, FailureClassifier.Reason(kind), _time.GetElapsedTime(attempt.Started));
        MarkDown(peer, kind, error);
        return new AttemptOutcome(peer, null, kind, error);
    }

    /// <summary>How long the fast path waits before hedging; never past the connect timeout.</summary>
    private TimeSpan HedgeWait()
    {
        var settings = Settings;
        return settings.HedgeDelay < settings.ConnectTimeout ? settings.HedgeDelay : settings.ConnectTimeout;
    }

    private void MarkDown(ProxySqlPeer peer, FailureKind kind, Exception error)
    {
        var settings = Settings;
        var now = _time.GetUtcNow();

        // Up to 10% later, so a fleet of applications does not probe a peer in lockstep.
        var retryAfter = settings.CheckInterval + (settings.CheckInterval * (0.1 * _random.NextDouble()));
        var reason = FailureClassifier.Reason(kind);
        var message = $"{reason}: {error.Message}";
        if (!peer.Health.MarkDown(now, now + retryAfter, kind, message, error))
            return;
        _telemetry.MarkedDown(peer.Name, reason);
        if (kind == FailureKind.Configuration)
            Log.PeerConfigurationError(_logger, peer.Name, peer.Settings.Endpoint, error.Message);
        else
            Log.PeerDown(_logger, peer.Name, peer.Settings.Endpoint, (long)retryAfter.TotalMilliseconds, reason, error.Message);

        // Its idle sessions are dead or, if it is blackholed, would hang the next reset until the connect timeout.
        _ = ClearPoolQuietlyAsync(peer.Name, peer.Settings.ConnectionString);
    }

    /// <summary>Closes a pool's idle sessions now; its sessions in use are discarded when returned (MySqlConnector bumps the pool's generation).</summary>
    private async Task ClearPoolQuietlyAsync(string peerName, string connectionString)
    {
        try
        {
            await _connector.ClearPoolAsync(connectionString).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background clean-up: a failure is logged, never thrown into a caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.BackgroundFailure(_logger, ex, peerName);
        }
    }

    private MySqlConnection HandOut(in AttemptOutcome outcome, long started, System.Diagnostics.Activity? activity)
    {
        var peer = outcome.Peer;
        var connection = outcome.Connection!;
        peer.TrackInUse(connection);
        _telemetry.Opened(peer.Name, "success", _time.GetElapsedTime(started));
        _telemetry.Served(activity, peer);
        return connection;
    }

    private void NoteFailover(in AttemptOutcome outcome)
    {
        var reason = FailureClassifier.Reason(outcome.Kind);
        _telemetry.FailedOver(outcome.Peer.Name, reason);
        Log.FailingOver(_logger, outcome.Peer.Name, reason);
    }

    /// <summary>Races the slow first attempt against attempts on further peers, one more every hedge delay or failure.</summary>
    private async Task<HedgeResult> HedgeAsync(Attempt first, ulong tried, OpenFailures failures, CancellationToken cancellationToken)
    {
        var hedgeDelay = Settings.HedgeDelay;
        Log.Hedging(_logger, first.Peer.Name, (long)hedgeDelay.TotalMilliseconds);
        var running = new List<Task<AttemptOutcome>>(2) { FinishAsync(first, cancellationToken) };
        var startNext = true;
        var lastPeer = first.Peer;
        while (true)
        {
            if (startNext && !cancellationToken.IsCancellationRequested && Select(tried) is { } next)
            {
                _telemetry.FailedOver(lastPeer.Name, "hedge");
                tried |= 1UL << next.Index;
                lastPeer = next;
                running.Add(FinishAsync(StartAttempt(next), cancellationToken));
            }

            startNext = false;
            if (running.Count == 0)
                return new HedgeResult(null, failures);

            var any = Task.WhenAny(running);
            if (!cancellationToken.IsCancellationRequested && Eligible(tried, startRecovery: false) != 0)
            {
                var delay = Task.Delay(hedgeDelay, _time, CancellationToken.None);
                if (await Task.WhenAny(any, delay).ConfigureAwait(false) == delay)
                {
                    startNext = true;
                    continue;
                }
            }
            else
            {
                await any.ConfigureAwait(false);
            }

            AttemptOutcome? winner = null;
            for (var i = running.Count - 1; i >= 0; i--)
            {
                if (!running[i].IsCompleted)
                    continue;
                var outcome = running[i].Result;
                running.RemoveAt(i);
                if (outcome.Succeeded)
                {
                    if (winner is null)
                        winner = outcome;
                    else
                        await ReleaseAsync(outcome.Peer, outcome.Connection!).ConfigureAwait(false);
                }
                else if (outcome.Kind != FailureKind.Cancelled)
                {
                    failures.Add(outcome);
                    NoteFailover(outcome);
                    startNext = true;
                }
            }

            if (winner is { } won)
            {
                // Losers keep running; one that opens returns its session to the pool and is not held against its peer.
                foreach (var loser in running)
                    _ = DisposeLoserAsync(loser);
                return new HedgeResult(won, failures);
            }
        }
    }

    /// <summary>
    /// Waits for a slow attempt at most until its connect timeout. The driver does not always give up on time (a
    /// pooled session's reset on a silent peer waits for its own timeout, then it may try a new session): the
    /// peer is marked Down at our deadline and the driver's attempt is settled in the background.
    /// </summary>
    private async Task<AttemptOutcome> FinishAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var remaining = Settings.ConnectTimeout - _time.GetElapsedTime(attempt.Started);
        if (remaining > TimeSpan.Zero && !attempt.Open.IsCompleted)
            await attempt.Open.WaitAsync(remaining, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (attempt.Open.IsCompleted)
            return Complete(attempt);

        // Abandoned: the caller cancelled or our deadline passed before the driver's. Settle it when it ends.
        _ = SettleLateAsync(attempt);
        if (cancellationToken.IsCancellationRequested)
            return new AttemptOutcome(attempt.Peer, null, FailureKind.Cancelled, new OperationCanceledException(cancellationToken));
        var error = new TimeoutException($"No connection within the connect timeout of {Settings.ConnectTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.");
        _telemetry.Opened(attempt.Peer.Name, FailureClassifier.Reason(FailureKind.Timeout), _time.GetElapsedTime(attempt.Started));
        MarkDown(attempt.Peer, FailureKind.Timeout, error);
        return new AttemptOutcome(attempt.Peer, null, FailureKind.Timeout, error);
    }

    private async Task SettleLateAsync(Attempt attempt)
    {
        await attempt.Open.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var outcome = Complete(attempt);
        if (outcome.Connection is { } connection)
            await ReleaseAsync(attempt.Peer, connection).ConfigureAwait(false);
    }

    private async Task DisposeLoserAsync(Task<AttemptOutcome> loser)
    {
        var outcome = await loser.ConfigureAwait(false);
        if (outcome.Connection is { } connection)
            await ReleaseAsync(outcome.Peer, connection).ConfigureAwait(false);
    }

    /// <summary>Returns a session nobody was handed to its pool; after dispose the pool is cleared again so it does not linger.</summary>
    private async Task ReleaseAsync(ProxySqlPeer peer, MySqlConnection connection)
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) != 0)
            await ClearPoolQuietlyAsync(peer.Name, peer.Settings.ConnectionString).ConfigureAwait(false);
    }

    private ProxySqlUnavailableException NoPeerCouldServe(in OpenFailures failures, System.Diagnostics.Activity? activity)
    {
        if (failures.AllConfiguration)
        {
            BalancerTelemetry.Failed(activity, failures.FirstConfigurationError!, "configuration error on every peer");
            ExceptionDispatchInfo.Throw(failures.FirstConfigurationError!);
        }

        var unavailable = new ProxySqlUnavailableException(DescribePeers(), failures.LastError);
        BalancerTelemetry.Failed(activity, unavailable, "no peer could serve");
        return unavailable;
    }

    /// <summary>Each peer's name, state and last error; never a secret (driver messages carry no password).</summary>
    internal string DescribePeers()
    {
        var text = new StringBuilder("No ProxySQL peer could open a connection (section '").Append(Settings.SectionName).Append("'). ");
        for (var i = 0; i < _peers.Length; i++)
        {
            var peer = _peers[i];
            if (i > 0)
                text.Append("; ");
            text.Append(peer.Name).Append(" [").Append(peer.State).Append(", ").Append(peer.Settings.Endpoint).Append(']');
            if (peer.LastError is { } error)
                text.Append(": ").Append(error.TrimEnd('.'));
        }

        return text.Append('.').ToString();
    }

    private readonly record struct Attempt(ProxySqlPeer Peer, MySqlConnection Connection, Task Open, long Started, int Epoch);

    private sealed record ProbeResult(long CompletedAt, AttemptOutcome Outcome);

    private readonly record struct HedgeResult(AttemptOutcome? Winner, OpenFailures Failures);
}
