using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ProxySql.Diagnostics;

/// <summary>
/// The <c>ProxySql.Gen</c> meter and activity source, named after the OpenTelemetry semantic conventions where one applies
/// (<c>server.address</c>, <c>server.port</c>, <c>db.system.name</c>, <c>error.type</c>) and ours where none does
/// (<see cref="ProxySqlTelemetry"/>). Recording costs nothing when nobody listens.
/// </summary>
internal sealed class BalancerTelemetry : IDisposable
{
    public const string Name = ProxySqlTelemetry.MeterName;

    public static readonly ActivitySource Source = new(ProxySqlTelemetry.ActivitySourceName, typeof(BalancerTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly ProxySqlPeerState[] s_states = [ProxySqlPeerState.Up, ProxySqlPeerState.Down, ProxySqlPeerState.Draining, ProxySqlPeerState.Disabled, ProxySqlPeerState.Unknown];

    private readonly IReadOnlyList<ProxySqlPeer> _peers;
    private readonly Dictionary<string, ProxySqlPeer> _byName;
    private readonly PeerTags?[] _tags;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _opens;
    private readonly Counter<long> _failovers;
    private readonly Counter<long> _markDowns;
    private readonly Histogram<double> _openDuration;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/> (DI), or on an own meter when none is given.</summary>
    /// <param name="peers">The peers, in declaration order (indexed by <c>ProxySqlPeer.Index</c>).</param>
    /// <param name="meterFactory">The container's factory; the factory then owns the meter and disposes it.</param>
    public BalancerTelemetry(IReadOnlyList<ProxySqlPeer> peers, IMeterFactory? meterFactory = null)
    {
        _peers = peers;
        _byName = new Dictionary<string, ProxySqlPeer>(peers.Count, StringComparer.Ordinal);
        foreach (var peer in peers)
            _byName[peer.Name] = peer;
        _tags = new PeerTags?[peers.Count];

        var version = typeof(BalancerTelemetry).Assembly.GetName().Version?.ToString();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(Name) { Version = version }) ?? new Meter(Name, version);
        _opens = _meter.CreateCounter<long>(ProxySqlTelemetry.Opens, "{open}", "Open attempts by peer; error.type on failed ones.");
        _failovers = _meter.CreateCounter<long>(ProxySqlTelemetry.Failovers, "{failover}", "Opens that moved on from a failed or slow peer.");
        _markDowns = _meter.CreateCounter<long>(ProxySqlTelemetry.MarkDowns, "{event}", "Peers taken out of rotation (Down or Draining), by state and reason.");
        _openDuration = _meter.CreateHistogram<double>(ProxySqlTelemetry.OpenDuration, "s", "Time of a failed attempt, or of a balanced open that succeeded.");
        _meter.CreateObservableGauge(ProxySqlTelemetry.PeerState, ObserveStates, "1", "1 for the peer's current state, 0 for the others.");
        _meter.CreateObservableGauge(ProxySqlTelemetry.PeerConnectionsInUse, ObserveInUse, "{connection}", "Connections handed out on the peer and not closed yet.");
    }

    /// <summary>Starts the span of one balanced open; <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartOpen()
    {
        var activity = Source.StartActivity(ProxySqlTelemetry.OpenActivityName, ActivityKind.Internal);
        activity?.SetTag(ProxySqlTelemetry.DbSystemNameAttribute, TelemetryNames.DbSystem);
        return activity;
    }

    /// <summary>The open span ends with a connection on <paramref name="peer"/>.</summary>
    public void Served(Activity? activity, ProxySqlPeer peer)
    {
        if (activity is null || !activity.IsAllDataRequested)
            return;
        var tags = TagsOf(peer);
        activity.SetTag(ProxySqlTelemetry.PeerAttribute, peer.Name);
        activity.SetTag(ProxySqlTelemetry.ServerAddressAttribute, tags.Address);
        activity.SetTag(ProxySqlTelemetry.ServerPortAttribute, tags.Port);
    }

    /// <summary>The open span ends with <paramref name="error"/> thrown to the caller.</summary>
    public static void Failed(Activity? activity, Exception error, string description)
    {
        if (activity is null)
            return;
        activity.SetStatus(ActivityStatusCode.Error, description);
        activity.SetTag(ProxySqlTelemetry.ErrorTypeAttribute, error.GetType().FullName);
    }

    /// <summary>An attempt on <paramref name="peer"/> ended: <paramref name="outcome"/> is <c>success</c> or the failure kind.</summary>
    public void Opened(string peer, string outcome, TimeSpan elapsed)
    {
        if ((_opens.Enabled || _openDuration.Enabled) && _byName.TryGetValue(peer, out var known))
            Opened(known, outcome == "success" ? null : TelemetryNames.ErrorType(outcome), elapsed);
    }

    /// <summary>An attempt on <paramref name="peer"/> ended, failed with <paramref name="errorType"/> or succeeded when <see langword="null"/>.</summary>
    public void Opened(ProxySqlPeer peer, string? errorType, TimeSpan elapsed)
    {
        if (!_opens.Enabled && !_openDuration.Enabled)
            return;
        var tags = Base(peer);
        if (errorType is not null)
            tags.Add(ProxySqlTelemetry.ErrorTypeAttribute, errorType);
        _opens.Add(1, tags);
        _openDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>An open moved on from <paramref name="fromPeer"/> because of <paramref name="reason"/> (a failure kind, or <c>hedge</c>).</summary>
    public void FailedOver(string fromPeer, string reason)
    {
        if (!_failovers.Enabled || !_byName.TryGetValue(fromPeer, out var peer))
            return;
        var tags = Base(peer);
        tags.Add(ProxySqlTelemetry.ErrorTypeAttribute, TelemetryNames.ErrorType(reason));
        _failovers.Add(1, tags);
    }

    /// <summary>
    /// <paramref name="peer"/> left rotation; <paramref name="reason"/> is a failure kind or <c>draining</c>. Prefer the
    /// overload taking a <see cref="ProxySqlPeerStateReason"/>.
    /// </summary>
    public void MarkedDown(string peer, string reason)
    {
        var known = TelemetryNames.ReasonOf(reason);
        var state = reason == "draining" ? ProxySqlPeerState.Draining : ProxySqlPeerState.Down;
        if (known is { } value)
            MarkedDown(peer, value, state);
        else
            Record(peer, state, reason.Replace('_', '-'));
    }

    /// <summary><paramref name="peer"/> left rotation: it is now <paramref name="state"/> because of <paramref name="reason"/>.</summary>
    public void MarkedDown(string peer, ProxySqlPeerStateReason reason, ProxySqlPeerState state = ProxySqlPeerState.Down) =>
        Record(peer, state, TelemetryNames.Reason(reason));

    public void Dispose()
    {
        // A factory's meter is shared by everyone asking for the same name and is the factory's to dispose.
        if (_ownsMeter)
            _meter.Dispose();
    }

    private void Record(string peer, ProxySqlPeerState state, string reason)
    {
        if (!_markDowns.Enabled || !_byName.TryGetValue(peer, out var known))
            return;
        var tags = Base(known);
        tags.Add(ProxySqlTelemetry.PeerStateAttribute, TelemetryNames.State(state));
        tags.Add(ProxySqlTelemetry.PeerStateReasonAttribute, reason);
        _markDowns.Add(1, tags);
    }

    private TagList Base(ProxySqlPeer peer)
    {
        var cached = TagsOf(peer);
        return new TagList
        {
            { ProxySqlTelemetry.PeerAttribute, peer.Name },
            { ProxySqlTelemetry.ServerAddressAttribute, cached.Address },
            { ProxySqlTelemetry.ServerPortAttribute, cached.Port },
            { ProxySqlTelemetry.DbSystemNameAttribute, TelemetryNames.DbSystem },
        };
    }

    private PeerTags TagsOf(ProxySqlPeer peer)
    {
        var settings = peer.Settings;
        var cached = Volatile.Read(ref _tags[peer.Index]);
        if (cached is not null && ReferenceEquals(cached.Settings, settings))
            return cached;
        cached = PeerTags.For(settings);
        Volatile.Write(ref _tags[peer.Index], cached);
        return cached;
    }

    private IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var peer in _peers)
        {
            var current = peer.State;
            var tags = Base(peer);
            foreach (var state in s_states)
            {
                var withState = tags;
                withState.Add(ProxySqlTelemetry.PeerStateAttribute, TelemetryNames.State(state));
                yield return new Measurement<int>(state == current ? 1 : 0, withState);
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveInUse()
    {
        foreach (var peer in _peers)
            yield return new Measurement<int>(peer.ConnectionsInUse, Base(peer));
    }
}
