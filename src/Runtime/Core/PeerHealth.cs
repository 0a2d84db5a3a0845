namespace ProxySql.Core;

/// <summary>
/// The health state machine of one peer: Unknown (not checked yet), Up, Down with a reason and a retry time,
/// Draining (paused). Thread-safe: the open path reads one volatile field; transitions take this peer's own lock.
/// Side effects of a transition (logs, metrics, retiring the pool) belong to <see cref="PeerStateChanges"/>.
/// </summary>
internal sealed class PeerHealth
{
    private readonly Lock _gate = new();
    private volatile ProxySqlPeerState _state = ProxySqlPeerState.Unknown;
    private ProxySqlPeerStateReason _reason;
    private long _retryAtTicks;
    private long _unavailableSinceTicks;
    private long _upSinceTicks;
    private string? _lastError;
    private long _lastErrorAtTicks;
    private FailureKind? _lastFailure;
    private int _epoch;

    /// <summary>Unknown, Up, Down or Draining (Disabled is the peer's configuration, not its health).</summary>
    public ProxySqlPeerState State => _state;

    /// <summary>Takes new leases: Up, or Unknown while the first probe is under way.</summary>
    public bool IsServing => _state is ProxySqlPeerState.Up or ProxySqlPeerState.Unknown;

    public bool IsDown => _state == ProxySqlPeerState.Down;

    public bool IsDraining => _state == ProxySqlPeerState.Draining;

    public ProxySqlPeerStateReason Reason
    {
        get
        {
            lock (_gate)
                return _reason;
        }
    }

    /// <summary>Changes each time the peer stops serving or starts afresh; an attempt remembers it to tell whether it started after.</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    public string? LastError => Volatile.Read(ref _lastError);

    public DateTimeOffset? LastErrorAt => Interlocked.Read(ref _lastErrorAtTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public FailureKind? LastFailure
    {
        get
        {
            lock (_gate)
                return _lastFailure;
        }
    }

    /// <summary>When the peer stopped taking leases (Down or Draining); used to pick the one down longest.</summary>
    public DateTimeOffset UnavailableSince => new(Interlocked.Read(ref _unavailableSinceTicks), TimeSpan.Zero);

    /// <summary>When the peer last came back Up from Down or Draining; <see cref="DateTimeOffset.MinValue"/> when it never left.</summary>
    public DateTimeOffset RecoveredAt => new(Interlocked.Read(ref _upSinceTicks), TimeSpan.Zero);

    public DateTimeOffset RetryAt => new(Interlocked.Read(ref _retryAtTicks), TimeSpan.Zero);

    /// <summary>Down and its retry time has come: an on-demand recovery probe may run.</summary>
    public bool IsRetryDue(DateTimeOffset now) => _state == ProxySqlPeerState.Down && now.UtcTicks >= Interlocked.Read(ref _retryAtTicks);

    /// <summary>Takes the peer out of rotation until a probe succeeds. Returns whether it was serving or draining before.</summary>
    public bool MarkDown(DateTimeOffset now, DateTimeOffset retryAt, FailureKind kind, ProxySqlPeerStateReason reason, string error)
    {
        lock (_gate)
        {
            var wasDown = _state == ProxySqlPeerState.Down;
            if (_state is ProxySqlPeerState.Up or ProxySqlPeerState.Unknown)
                Interlocked.Exchange(ref _unavailableSinceTicks, now.UtcTicks);

            // A later failure must not pull an already scheduled retry earlier.
            if (!wasDown || retryAt.UtcTicks > Interlocked.Read(ref _retryAtTicks))
                Interlocked.Exchange(ref _retryAtTicks, retryAt.UtcTicks);
            _lastFailure = kind;
            _reason = reason;
            RecordError(error, now);
            if (!wasDown)
                Interlocked.Increment(ref _epoch);
            _state = ProxySqlPeerState.Down;
            return !wasDown;
        }
    }

    /// <summary>The node refuses new connections while an open session answers: a pause. Returns whether it changed.</summary>
    public bool MarkDraining(DateTimeOffset now, string error)
    {
        lock (_gate)
        {
            if (_state == ProxySqlPeerState.Draining)
                return false;
            if (_state is ProxySqlPeerState.Up or ProxySqlPeerState.Unknown)
                Interlocked.Exchange(ref _unavailableSinceTicks, now.UtcTicks);
            _reason = ProxySqlPeerStateReason.Paused;
            RecordError(error, now);
            Interlocked.Increment(ref _epoch);
            _state = ProxySqlPeerState.Draining;
            return true;
        }
    }

    /// <summary>
    /// A check that started in <paramref name="epoch"/> succeeded: the peer serves, unless it left rotation after the
    /// check began (a straggler proves nothing about now). Returns the state it left, or <see langword="null"/>.
    /// </summary>
    public ProxySqlPeerState? MarkUp(int epoch, DateTimeOffset now)
    {
        if (_state == ProxySqlPeerState.Up)
            return null;
        lock (_gate)
        {
            var previous = _state;
            if (previous == ProxySqlPeerState.Up || epoch != _epoch)
                return null;
            if (previous != ProxySqlPeerState.Unknown)
                Interlocked.Exchange(ref _upSinceTicks, now.UtcTicks);
            _reason = ProxySqlPeerStateReason.None;
            _state = ProxySqlPeerState.Up;
            return previous;
        }
    }

    /// <summary>Starts afresh (the peer now points elsewhere): Unknown, error history kept; attempts under way no longer count.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _epoch);
            _reason = ProxySqlPeerStateReason.None;
            _lastFailure = null;
            _state = ProxySqlPeerState.Unknown;
        }
    }

    private void RecordError(string error, DateTimeOffset now)
    {
        Volatile.Write(ref _lastError, error);
        Interlocked.Exchange(ref _lastErrorAtTicks, now.UtcTicks);
    }
}
