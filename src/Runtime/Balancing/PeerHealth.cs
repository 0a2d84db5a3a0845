namespace ProxySql.Balancing;

/// <summary>
/// The health state machine of one peer: Up, Down until a retry time, Draining. Pure and thread-safe: reads on the
/// open path are volatile fields; transitions take this peer's own small lock (never a global one).
/// </summary>
internal sealed class PeerHealth
{
    private readonly Lock _gate = new();
    private volatile bool _down;
    private volatile bool _draining;
    private long _retryAtTicks;
    private long _unavailableSinceTicks;
    private string? _lastError;
    private long _lastErrorAtTicks;
    private Exception? _lastException;
    private FailureKind? _lastFailure;
    private int _epoch;

    /// <summary>Up and not draining: may take new leases.</summary>
    public bool IsUp => !_down && !_draining;

    public bool IsDown => _down;

    /// <summary>Changes each time the peer goes Down; an attempt remembers it to tell whether it started after.</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    public bool IsDraining => _draining;

    public ProxySqlPeerState State => _down ? ProxySqlPeerState.Down : _draining ? ProxySqlPeerState.Draining : ProxySqlPeerState.Up;

    public string? LastError => Volatile.Read(ref _lastError);

    public DateTimeOffset? LastErrorAt => Interlocked.Read(ref _lastErrorAtTicks) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public ProxySqlPeerStateReason Reason => _down ? ReasonOf(LastFailure) : _draining ? ProxySqlPeerStateReason.Paused : ProxySqlPeerStateReason.None;

    private static ProxySqlPeerStateReason ReasonOf(FailureKind? kind) => kind switch
    {
        FailureKind.Refused or FailureKind.Unreachable => ProxySqlPeerStateReason.Refused,
        FailureKind.Timeout => ProxySqlPeerStateReason.Timeout,
        FailureKind.Reset or FailureKind.EndOfStream or FailureKind.Other => ProxySqlPeerStateReason.ConnectionLost,
        FailureKind.TooManyConnections => ProxySqlPeerStateReason.TooManyConnections,
        FailureKind.ProxySqlNoBackend => ProxySqlPeerStateReason.BackendUnavailable,
        FailureKind.Configuration => ProxySqlPeerStateReason.Configuration,
        _ => ProxySqlPeerStateReason.None,
    };

    public Exception? LastException => Volatile.Read(ref _lastException);

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

    public DateTimeOffset RetryAt => new(Interlocked.Read(ref _retryAtTicks), TimeSpan.Zero);

    /// <summary>Down and its retry time has come: a recovery probe may run.</summary>
    public bool IsRetryDue(DateTimeOffset now) => _down && now.UtcTicks >= Interlocked.Read(ref _retryAtTicks);

    /// <summary>Marks the peer Down until <paramref name="retryAt"/>. Returns whether it was taking leases before.</summary>
    public bool MarkDown(DateTimeOffset now, DateTimeOffset retryAt, FailureKind kind, string error, Exception? exception)
    {
        lock (_gate)
        {
            var wasUp = !_down;
            if (wasUp && !_draining)
                Interlocked.Exchange(ref _unavailableSinceTicks, now.UtcTicks);

            // A late failure must not pull an already scheduled retry earlier.
            if (wasUp || retryAt.UtcTicks > Interlocked.Read(ref _retryAtTicks))
                Interlocked.Exchange(ref _retryAtTicks, retryAt.UtcTicks);
            _lastFailure = kind;
            Volatile.Write(ref _lastError, error);
            Interlocked.Exchange(ref _lastErrorAtTicks, now.UtcTicks);
            Volatile.Write(ref _lastException, exception);
            if (wasUp)
                Interlocked.Increment(ref _epoch);
            _down = true;
            return wasUp;
        }
    }

    /// <summary>
    /// A connection opened by an attempt started in <paramref name="epoch"/>: the peer is not Down, unless the attempt
    /// started before the peer went Down (a straggler proves nothing about now). Returns whether it was Down.
    /// </summary>
    public bool MarkUp(int epoch)
    {
        if (!_down)
            return false;
        lock (_gate)
        {
            if (!_down || epoch != _epoch)
                return false;
            _down = false;
            return true;
        }
    }

    /// <summary>Starts afresh (the peer now points elsewhere): Up, no error; attempts under way no longer count.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _epoch);
            _down = false;
            _draining = false;
            _lastFailure = null;
            Volatile.Write(ref _lastError, null);
            Volatile.Write(ref _lastException, null);
        }
    }

    /// <summary>Sets or clears Draining. Returns whether the flag changed.</summary>
    public bool SetDraining(bool draining, DateTimeOffset now, string? error = null)
    {
        lock (_gate)
        {
            if (_draining == draining)
                return false;
            if (draining && !_down)
                Interlocked.Exchange(ref _unavailableSinceTicks, now.UtcTicks);
            if (error is not null)
            {
                Volatile.Write(ref _lastError, error);
                Interlocked.Exchange(ref _lastErrorAtTicks, now.UtcTicks);
            }
            _draining = draining;
            return true;
        }
    }
}
