using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;
using ProxySql.Configuration;
using ProxySql.Diagnostics;

namespace ProxySql.Core;

/// <summary>
/// The engine behind <see cref="ProxySqlDatabases"/>: it owns the peers and their pools and composes the pieces —
/// <see cref="PeerSelector"/> (which peer), <see cref="OpenRace"/> (failover and hedging past the first attempt),
/// <see cref="PeerStateChanges"/> (every state change and its side effects), <see cref="BackgroundProber"/> and
/// <see cref="ConfigurationReload"/>. The open path below reads top to bottom.
/// </summary>
internal sealed class Balancer : IAsyncDisposable
{
    private readonly ProxySqlPeer[] _peers;
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private readonly BackgroundProber _prober;
    private int _backgroundWork;
    private BalancerSettings _settings;
    private LastAllDownProbe? _lastAllDownProbe;
    private ConfigurationReload? _reload;
    private long _roundRobin;
    private int _disposed;

    internal Balancer(BalancerSettings settings, BalancerServices services)
    {
        _settings = settings;
        Time = services.Time;
        Connector = services.Connector;
        _random = services.Random;
        Logger = (services.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ProxySql.Gen");
        StoppingToken = _stopping.Token;
        _peers = new ProxySqlPeer[settings.Peers.Count];
        for (var i = 0; i < _peers.Length; i++)
        {
            var peerSettings = settings.Peers[i];
            _peers[i] = new ProxySqlPeer(this, i, peerSettings, new PeerPool(peerSettings.Name, peerSettings, services.ConfigureDataSource, services.LoggerFactory, services.Time));
        }

        Telemetry = new BalancerTelemetry(_peers, services.MeterFactory);
        StateChanges = new PeerStateChanges(this);
        DataSource = new BalancerDataSource(this);
        Stalls = new ProcessStalls(Time); // last but the prober, whose first check may use it: nothing after it can throw
        _prober = new BackgroundProber(this);
    }

    public IReadOnlyList<ProxySqlPeer> Peers => _peers;

    public DbDataSource DataSource { get; }

    internal BalancerSettings Settings => Volatile.Read(ref _settings);

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    internal TimeProvider Time { get; }

    internal IPeerConnector Connector { get; }

    internal ILogger Logger { get; }

    internal BalancerTelemetry Telemetry { get; }

    internal PeerStateChanges StateChanges { get; }

    internal BackgroundProber Prober => _prober;

    /// <summary>When this process stood still; deadlines that passed meanwhile are not blamed on peers.</summary>
    internal ProcessStalls Stalls { get; }

    internal ObjectPool<TaskOrDelay> Waiters { get; } = new(64);

    /// <summary>Captured once: background work that starts after DisposeAsync sees a cancelled token, not a disposed source.</summary>
    internal CancellationToken StoppingToken { get; }

    public static Balancer Start(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults, BalancerServices services)
    {
        var settings = SettingsReader.Read(configuration, sectionName, peers, defaults);
        var balancer = new Balancer(settings, services);
        balancer.WatchConfiguration(configuration, sectionName, peers, defaults);
        return balancer;
    }

    /// <summary>Applies each valid change of <paramref name="configuration"/>'s section live.</summary>
    internal void WatchConfiguration(IConfiguration configuration, string sectionName, IReadOnlyList<ProxySqlPeerDefinition> peers, ProxySqlDefaults defaults) =>
        _reload = ConfigurationReload.Watch(this, configuration, sectionName, peers, defaults);

    /// <summary>Opens a connection on a healthy peer, failing over and hedging as needed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var started = Time.GetTimestamp();
        using var activity = BalancerTelemetry.StartOpen();

        // Every peer Down or Draining: before failing, one probe of the peer down longest, shared by all callers.
        var peer = Select(excluded: 0) ?? await SelectAfterAllDownProbeAsync(activity, cancellationToken).ConfigureAwait(false);

        // The fast path: the chosen peer opens within the hedge delay.
        var first = StartAttempt(peer);
        var failures = default(OpenFailures);
        var finishedInTime = await TaskOrDelay.WaitAsync(first.Open, HedgeDelay(peer), Time, Waiters, cancellationToken).ConfigureAwait(false);
        if (finishedInTime)
        {
            var outcome = Settle(first);
            if (outcome.Succeeded)
                return HandOut(outcome, started, activity);
            failures.Add(outcome);
            NoteFailover(outcome);
        }
        else if (cancellationToken.IsCancellationRequested)
        {
            Abandon(first, stuck: false);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Slow or failed: race the next peers (failover and bounded hedging) until one opens or none is left.
        // Not settled yet goes to the race even when it finished just now: an open completed after the wait is the race's winner, not a leak.
        var raced = await OpenRace.RunAsync(this, finishedInTime ? null : first, 1UL << peer.Index, failures, cancellationToken).ConfigureAwait(false);
        if (raced.Winner is { } winner)
            return HandOut(winner, started, activity);
        cancellationToken.ThrowIfCancellationRequested();
        throw NoPeerCouldServe(raced.Failures, activity);
    }

    /// <summary>Opens on one given peer, whatever its state.</summary>
    public async ValueTask<MySqlConnection> OpenPinnedAsync(ProxySqlPeer peer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        var started = Time.GetTimestamp();
        using var activity = BalancerTelemetry.StartOpen();
        var attempt = StartAttempt(peer);
        await WaitUntilDeadlineAsync(attempt, cancellationToken).ConfigureAwait(false);
        if (!attempt.Open.IsCompleted)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Abandon(attempt, stuck: false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            TimeOut(attempt);
            throw new ProxySqlUnavailableException($"ProxySQL peer {peer.Name} ({peer.Settings.Endpoint}) did not open within the connect timeout of {peer.Settings.ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        }

        var outcome = Settle(attempt);
        if (outcome.Succeeded)
            return HandOut(outcome, started, activity);
        ExceptionDispatchInfo.Throw(outcome.Error!);
        return null;
    }

    /// <summary>The peer a connection handed out by this balancer belongs to, by its endpoint; <see langword="null"/> when none.</summary>
    public ProxySqlPeer? PeerOf(MySqlConnection connection)
    {
        var builder = new MySqlConnectionStringBuilder(connection.ConnectionString);
        var endpoint = ConnectionStrings.Endpoint(builder);
        foreach (var peer in _peers)
        {
            if (string.Equals(peer.Settings.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase))
                return peer;
        }

        return null;
    }

    /// <summary>A connection handed out on <paramref name="peer"/> was closed.</summary>
    internal void OnConnectionReturned(ProxySqlPeer peer)
    {
        // A draining or disabled peer's pool was retired, so the session just returned was discarded, not pooled.
        if (Volatile.Read(ref _disposed) == 0 && (peer.Health.IsDraining || !peer.Settings.Enabled) && peer.ConnectionsInUse == 0)
            Log.PeerDrained(Logger, peer.Name, peer.Settings.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _reload?.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _prober.DisposeAsync().ConfigureAwait(false);
        Stalls.Dispose();
        Telemetry.Dispose();
        foreach (var waiter in Waiters.Drain())
            waiter.Dispose();

        // Idle sessions close now; sessions still in use are discarded when returned.
        foreach (var peer in _peers)
            await peer.Pool.DisposeAsync(peer.Settings.ConnectTimeout).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Picks the next peer among those serving, enabled, not stuck and not excluded; starts due recovery probes on the way.</summary>
    internal ProxySqlPeer? Select(ulong excluded)
    {
        var eligible = Eligible(excluded, startRecovery: true);
        if (eligible == 0)
            return null;
        var peers = _peers;
        var settings = Settings;
        var now = Time.GetTimestamp();
        var frequency = Time.TimestampFrequency;
        DateTimeOffset? utcNow = null;
        Span<PeerSnapshot> snapshots = stackalloc PeerSnapshot[peers.Length];
        for (var i = 0; i < peers.Length; i++)
        {
            if ((eligible & (1UL << i)) == 0)
                continue;
            var peer = peers[i];
            var inUse = peer.ConnectionsInUse;
            var loadAware = settings.Strategy == ProxySqlStrategy.LoadAware;
            snapshots[i] = new PeerSnapshot(
                peer.Settings.Weight,
                inUse + peer.Load.Pending,
                loadAware ? Math.Max(peer.Load.Latency(now, frequency), peer.Load.Stall(inUse, now, frequency)) : 0,
                Ramp(peer.Health.RecoveredAt, settings.SlowStartWindow, ref utcNow),
                loadAware ? peer.Load.HoldTime(now, frequency) : 0);
        }

        var index = PeerSelector.Select(settings.Strategy, eligible, snapshots, ref _roundRobin, _random);
        return index < 0 ? null : peers[index];
    }

    /// <summary>The slow-start ramp of a peer; the wall clock is read only for a peer that ever recovered, once per choice.</summary>
    private double Ramp(DateTimeOffset recoveredAt, TimeSpan window, ref DateTimeOffset? utcNow)
    {
        if (window <= TimeSpan.Zero || recoveredAt == DateTimeOffset.MinValue)
            return 1;
        utcNow ??= Time.GetUtcNow();
        return SlowStart.Ramp(recoveredAt, utcNow.Value, window);
    }

    /// <summary>
    /// Peers that may take a new open: enabled, serving, not excluded, and no attempt stuck on them — unless every
    /// such peer has one, when a stuck peer is still better than no peer.
    /// </summary>
    internal ulong Eligible(ulong excluded, bool startRecovery)
    {
        var serving = 0UL;
        var stuck = 0UL;
        var peers = _peers;
        DateTimeOffset? now = null;
        for (var i = 0; i < peers.Length; i++)
        {
            var peer = peers[i];
            if (!peer.Settings.Enabled)
                continue;
            var health = peer.Health;
            if (health.IsServing)
            {
                if ((excluded & (1UL << i)) != 0)
                    continue;
                serving |= 1UL << i;
                if (peer.Load.Stuck != 0)
                    stuck |= 1UL << i;
            }
            else if (startRecovery && health.IsRetryDue(now ??= Time.GetUtcNow()) && Volatile.Read(ref _disposed) == 0)
            {
                _ = _prober.ProbeAsync(peer);
            }
        }

        return serving == stuck ? serving : serving & ~stuck;
    }

    /// <summary>Starts the driver's open on <paramref name="peer"/>'s pool, with its deadline.</summary>
    internal Attempt StartAttempt(ProxySqlPeer peer)
    {
        var epoch = peer.Health.Epoch;
        MySqlConnection connection;
        try
        {
            connection = peer.Pool.CreateConnection();
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed during this open: the caller is told the balancer is gone, not which driver object was.
            throw new ObjectDisposedException(GetType().FullName);
        }

        var started = Time.GetTimestamp();
        var deadline = started + (long)(peer.Settings.ConnectTimeout.TotalSeconds * Time.TimestampFrequency);
        peer.Load.OpenStarted();
        Task open;
        try
        {
            open = Connector.OpenAsync(connection);
        }
#pragma warning disable CA1031 // Any synchronous throw is that attempt's failure, classified like an asynchronous one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            open = Task.FromException(ex);
        }

        return new Attempt(peer, connection, open, started, deadline, epoch);
    }

    /// <summary>
    /// Settles a finished attempt: latency, health on failure, and the failure metric (a success is counted when
    /// handed out, so a hedge loser's is not). Whatever the driver reports is the peer's doing.
    /// </summary>
    internal AttemptOutcome Settle(Attempt attempt)
    {
        var peer = attempt.Peer;
        var elapsed = Time.GetElapsedTime(attempt.Started);
        if (!attempt.TrySettle())
            return new AttemptOutcome(peer, null, FailureKind.Cancelled, new InvalidOperationException("The attempt was already settled."));
        peer.Load.OpenSettled();
        peer.Load.Sample(elapsed, Time.GetTimestamp(), Time.TimestampFrequency);
        if (attempt.Open.IsCompletedSuccessfully)
            return new AttemptOutcome(peer, attempt.Connection, default, null);

        var error = attempt.Open.Exception?.InnerException ?? new OperationCanceledException("The open was cancelled.");
        var kind = FailureClassifier.Classify(error, attemptTimedOut: false);
        RunInBackground(peer.Name, attempt.Connection.DisposeAsync());
        Telemetry.Opened(peer.Name, FailureClassifier.Reason(kind), elapsed);

        // The driver's own connect timeout (which runs out after the balancer's deadline) ran out first: the process stood
        // still past both. A failed attempt, not the peer's fault, unless the attempt had been given more time already.
        if (kind == FailureKind.Timeout && !attempt.Extended && Stalls.Excuse(attempt.Started, Time.GetTimestamp(), peer.Settings.ConnectTimeout, out var stalled))
        {
            if (Stalls.ShouldReport())
                Log.TimeoutDuringStall(Logger, "connect", peer.Name, (long)stalled.TotalMilliseconds);
        }
        else
            StateChanges.MarkDown(peer, kind, StateReasons.Of(kind), error);
        return new AttemptOutcome(peer, null, kind, error);
    }

    /// <summary>
    /// An attempt that reached its deadline while this process stood still for a good part of it (<see cref="ProcessStalls"/>:
    /// frozen, a long GC pause, CPU or thread-pool starvation) gets one more connect timeout instead of timing out: the
    /// open's own steps were held up the same way, so the delay says nothing about the peer, and without this a
    /// stalled process marks every healthy peer Down and fails its callers. Once per attempt: a peer that is really
    /// gone still times out, one connect timeout later.
    /// </summary>
    internal bool ExtendIfProcessStalled(Attempt attempt, long now)
    {
        var connectTimeout = attempt.Peer.Settings.ConnectTimeout;
        if (attempt.Extended || !Stalls.Excuse(attempt.Started, now, connectTimeout, out var stalled)
            || !attempt.TryExtend(now + (long)(connectTimeout.TotalSeconds * Time.TimestampFrequency)))
            return false;
        if (Stalls.ShouldReport())
            Log.OpenOutlivedStall(Logger, attempt.Peer.Name, (long)stalled.TotalMilliseconds, (long)connectTimeout.TotalMilliseconds);
        return true;
    }

    /// <summary>Waits for <paramref name="attempt"/>'s open until its deadline, and once more when the process stood still through it.</summary>
    private async ValueTask WaitUntilDeadlineAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        do
        {
            var remaining = Time.GetElapsedTime(Time.GetTimestamp(), attempt.Deadline);
            if (remaining > TimeSpan.Zero)
                await attempt.Open.WaitAsync(remaining, Time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        while (!attempt.Open.IsCompleted && !cancellationToken.IsCancellationRequested && ExtendIfProcessStalled(attempt, Time.GetTimestamp()));
    }

    /// <summary>An attempt reached its deadline: the peer is Down for a timeout; the driver's open ends in the background and is not counted again.</summary>
    internal AttemptOutcome TimeOut(Attempt attempt)
    {
        var peer = attempt.Peer;
        var error = new TimeoutException($"No connection within the connect timeout of {peer.Settings.ConnectTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.");
        if (attempt.TrySettle())
        {
            peer.Load.OpenSettled();
            peer.Load.Sample(peer.Settings.ConnectTimeout, Time.GetTimestamp(), Time.TimestampFrequency);
            Telemetry.Opened(peer.Name, FailureClassifier.Reason(FailureKind.Timeout), Time.GetElapsedTime(attempt.Started));
            StateChanges.MarkDown(peer, FailureKind.Timeout, ProxySqlPeerStateReason.Timeout, error);
        }

        RunInBackground(peer.Name, ReleaseWhenOpenedAsync(attempt));
        return new AttemptOutcome(peer, null, FailureKind.Timeout, error);
    }

    /// <summary>
    /// Gives up waiting for an attempt (the caller cancelled, or another peer won). A <paramref name="stuck"/> one keeps
    /// its peer from new opens until it resolves; it is still settled at its deadline, and a real failure counts.
    /// </summary>
    internal void Abandon(Attempt attempt, bool stuck)
    {
        if (stuck)
            attempt.Peer.Load.BecameStuck();
        RunInBackground(attempt.Peer.Name, SettleAbandonedAsync(attempt, stuck));
    }

    private async ValueTask SettleAbandonedAsync(Attempt attempt, bool stuck)
    {
        try
        {
            await WaitUntilDeadlineAsync(attempt, StoppingToken).ConfigureAwait(false);
            if (!attempt.Open.IsCompleted)
            {
                TimeOut(attempt);
                return;
            }

            var outcome = Settle(attempt);
            if (outcome.Connection is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                attempt.Peer.Pool.Released();
            }
        }
        finally
        {
            if (stuck)
                attempt.Peer.Load.StuckResolved();
        }
    }

    private async ValueTask ReleaseWhenOpenedAsync(Attempt attempt)
    {
        await attempt.Open.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Counted already as a timeout; whatever it failed with later is observed here, not left to the finalizer.
        _ = attempt.Open.Exception;
        if (attempt.Open.IsCompletedSuccessfully)
            ReviveIfNoPeerServes(attempt.Peer);
        await attempt.Connection.DisposeAsync().ConfigureAwait(false);
        attempt.Peer.Pool.Released();
    }

    /// <summary>
    /// A timed-out open on <paramref name="peer"/> completed after all: its node accepts, only slower than ConnectTimeout
    /// (a node under load, or this process starved of CPU, where every healthy open outlives the timeout). While another
    /// peer serves, it stays Down until its retry time (hedging routes around a slow node). When no peer serves, it is
    /// Up again at once: with every peer Down for timeouts, slow service beats failing every caller until a retry (the
    /// trade Envoy's panic threshold makes).
    /// </summary>
    private void ReviveIfNoPeerServes(ProxySqlPeer peer)
    {
        var health = peer.Health;
        if (!health.IsDown || health.Reason != ProxySqlPeerStateReason.Timeout || IsDisposed)
            return;
        foreach (var other in Peers)
        {
            if (other.Enabled && other.Health.IsServing)
                return;
        }

        StateChanges.MarkUp(peer, health.Epoch);
    }

    internal void NoteFailover(in AttemptOutcome outcome)
    {
        var reason = FailureClassifier.Reason(outcome.Kind);
        Telemetry.FailedOver(outcome.Peer.Name, reason);
        Log.FailingOver(Logger, outcome.Peer.Name, reason);
    }

    /// <summary>How long to wait for an attempt on <paramref name="peer"/> before hedging; never past its connect timeout.</summary>
    internal TimeSpan HedgeDelay(ProxySqlPeer peer)
    {
        var hedgeDelay = Settings.HedgeDelay;
        var connectTimeout = peer.Settings.ConnectTimeout;
        return hedgeDelay < connectTimeout ? hedgeDelay : connectTimeout;
    }

    /// <summary>A jitter factor in [0, 1) for retry times.</summary>
    internal double NextJitter() => _random.NextDouble();

    /// <summary>Runs clean-up work nobody awaits; a failure is logged, never thrown into a caller.</summary>
    internal void RunInBackground(string peerName, ValueTask work)
    {
        if (work.IsCompletedSuccessfully)
            return;
        Interlocked.Increment(ref _backgroundWork);
        _ = LogFailureAsync(peerName, work);
    }

    /// <summary>Background work started by <see cref="RunInBackground"/> and not finished yet (tests wait for it instead of sleeping).</summary>
    internal int BackgroundWork => Volatile.Read(ref _backgroundWork);

    internal void Apply(BalancerSettings next)
    {
        var previous = Settings;
        Volatile.Write(ref _settings, next);
        if (previous.ProbeInterval != next.ProbeInterval)
            _prober.ChangeInterval(next.ProbeInterval);
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

    /// <summary>
    /// Every peer is Down or Draining: probe the one down longest, once, shared by all callers. A failed probe answers
    /// the callers arriving within <see cref="AllDownProbeReuse"/> too, bounding probing to about one per second while
    /// the cluster is down; a recovered cluster is still noticed within a second.
    /// </summary>
    private async ValueTask<ProxySqlPeer> SelectAfterAllDownProbeAsync(System.Diagnostics.Activity? activity, CancellationToken cancellationToken)
    {
        var failures = default(OpenFailures);
        var target = LongestUnavailable() ?? throw NoPeerCouldServe(failures, activity);
        ProbeResult probe;
        if (Volatile.Read(ref _lastAllDownProbe) is { } last && Time.GetElapsedTime(last.CompletedAt) < AllDownProbeReuse(Settings))
        {
            probe = last.Result;
        }
        else
        {
            probe = await _prober.ProbeAsync(target).WaitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastAllDownProbe, probe.Succeeded ? null : new LastAllDownProbe(Time.GetTimestamp(), probe));
            if (!probe.Succeeded && probe.Kind != FailureKind.Cancelled)
                Log.Unavailable(Logger, DescribePeers());
        }

        if (probe.Succeeded && Select(excluded: 0) is { } peer)
            return peer;
        if (probe.Kind == FailureKind.Configuration && AllEnabledPeersFailedOnConfiguration())
        {
            BalancerTelemetry.Failed(activity, probe.Error!, "configuration error on every peer");
            ExceptionDispatchInfo.Throw(probe.Error!);
        }

        throw NoPeerCouldServe(failures, activity, probe.Error);
    }

    internal static TimeSpan AllDownProbeReuse(BalancerSettings settings) =>
        settings.CheckInterval < TimeSpan.FromSeconds(1) ? settings.CheckInterval : TimeSpan.FromSeconds(1);

    private ProxySqlPeer? LongestUnavailable()
    {
        ProxySqlPeer? oldest = null;
        foreach (var peer in _peers)
        {
            if (!peer.Settings.Enabled || peer.Health.IsServing)
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

    private MySqlConnection HandOut(in AttemptOutcome outcome, long started, System.Diagnostics.Activity? activity)
    {
        var peer = outcome.Peer;
        var connection = outcome.Connection!;
        peer.TrackInUse(connection);
        Telemetry.Opened(peer.Name, "success", Time.GetElapsedTime(started));
        Telemetry.Served(activity, peer);
        return connection;
    }

    private ProxySqlUnavailableException NoPeerCouldServe(in OpenFailures failures, System.Diagnostics.Activity? activity, Exception? inner = null)
    {
        if (failures.AllConfiguration)
        {
            BalancerTelemetry.Failed(activity, failures.FirstConfigurationError!, "configuration error on every peer");
            ExceptionDispatchInfo.Throw(failures.FirstConfigurationError!);
        }

        var unavailable = new ProxySqlUnavailableException(DescribePeers(), failures.LastError ?? inner);
        BalancerTelemetry.Failed(activity, unavailable, "no peer could serve");
        return unavailable;
    }

    private async Task LogFailureAsync(string peerName, ValueTask work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Background clean-up: a failure is logged, never thrown into a caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.BackgroundFailure(Logger, ex, peerName);
        }
        finally
        {
            Interlocked.Decrement(ref _backgroundWork);
        }
    }

    private sealed record LastAllDownProbe(long CompletedAt, ProbeResult Result);
}
