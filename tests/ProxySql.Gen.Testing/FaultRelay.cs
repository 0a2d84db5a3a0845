using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;

namespace ProxySql.Testing;

/// <summary>
/// A loopback TCP relay standing in for one ProxySQL node in front of a target endpoint (usually a
/// <see cref="MariaDbServer"/>). Its <see cref="Mode"/> can be switched at any time to pause, kill or
/// blackhole the node, and latency can be added per direction.
/// </summary>
public sealed class FaultRelay : IAsyncDisposable
{
    private const int Backlog = 512;

    private readonly object gate = new();
    private readonly ConcurrentDictionary<RelaySession, byte> sessions = new();
    private readonly List<Task> acceptLoops = [];
    private readonly CancellationTokenSource disposing = new();
    private TaskCompletionSource flow = NewOpenFlow();
    private Socket? listener;
    private RelayMode mode;
    private bool disposed;
    private int openSessions;
    private long totalSessions;
    private long bytesRelayed;
    private long clientToServerLatencyTicks;
    private long serverToClientLatencyTicks;

    private FaultRelay(IPEndPoint target, IPEndPoint endPoint)
    {
        Target = target;
        EndPoint = endPoint;
    }

    /// <summary>The endpoint the relay forwards to.</summary>
    public IPEndPoint Target { get; }

    /// <summary>The endpoint the relay listens on (while <see cref="RelayMode.Up"/> or <see cref="RelayMode.Blackholed"/>).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The port the relay listens on.</summary>
    public int Port => EndPoint.Port;

    /// <summary>Sessions open through the relay right now.</summary>
    public int OpenSessions => Volatile.Read(ref openSessions);

    /// <summary>Sessions accepted since the relay started.</summary>
    public long TotalSessions => Interlocked.Read(ref totalSessions);

    /// <summary>Bytes forwarded, both directions together.</summary>
    public long BytesRelayed => Interlocked.Read(ref bytesRelayed);

    /// <summary>Delay added to every chunk from the client to the target. Settable at any time.</summary>
    public TimeSpan ClientToServerLatency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref clientToServerLatencyTicks));
        set => Interlocked.Exchange(ref clientToServerLatencyTicks, RequireLatency(value).Ticks);
    }

    /// <summary>Delay added to every chunk from the target to the client. Settable at any time.</summary>
    public TimeSpan ServerToClientLatency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref serverToClientLatencyTicks));
        set => Interlocked.Exchange(ref serverToClientLatencyTicks, RequireLatency(value).Ticks);
    }

    /// <summary>
    /// The fault mode. Settable at any time from any thread; when the setter returns, the listener is
    /// open or closed accordingly and, for <see cref="RelayMode.Killed"/>, every open session has been closed.
    /// </summary>
    public RelayMode Mode
    {
        get
        {
            lock (gate)
            {
                return mode;
            }
        }

        set => SetMode(value);
    }

    /// <summary>Starts a relay in <see cref="RelayMode.Up"/>.</summary>
    /// <param name="target">Where to forward connections.</param>
    /// <param name="listenAddress">Loopback address to listen on; default 127.0.0.1. Any 127.x.y.z works on Linux.</param>
    /// <param name="port">Port to listen on, or 0 to pick a free one (below the ephemeral range).
    /// Several relays on different addresses may share one port.</param>
    /// <returns>The listening relay.</returns>
    public static FaultRelay Start(IPEndPoint target, IPAddress? listenAddress = null, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        listenAddress ??= IPAddress.Loopback;
        if (port == 0)
        {
            port = LoopbackPort.FindFree(listenAddress);
        }

        var relay = new FaultRelay(target, new IPEndPoint(listenAddress, port));
        lock (relay.gate)
        {
            relay.Listen();
        }

        return relay;
    }

    /// <summary>
    /// Rewrites a MySQL connection string to go through this relay (its Server and Port).
    /// </summary>
    /// <param name="connectionString">A connection string, e.g. <see cref="MariaDbServer.ConnectionString"/>.</param>
    /// <returns>The same settings with this relay as the server.</returns>
    public string ConnectionStringFor(string connectionString) => new MySqlConnectionStringBuilder(connectionString)
    {
        Server = EndPoint.Address.ToString(),
        Port = (uint)Port,
    }.ConnectionString;

    /// <summary>Closes the listener, ends every session and waits for all of the relay's work to finish.</summary>
    /// <returns>A task that completes when nothing of the relay is left running.</returns>
    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            CloseListener();
            flow.TrySetResult();
            foreach (RelaySession session in sessions.Keys)
            {
                session.Abort(reset: false);
            }

            pending = [.. acceptLoops, .. sessions.Keys.Select(s => s.Completion)];
        }

        await disposing.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(pending).ConfigureAwait(false); // these tasks handle their own errors
        disposing.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"relay {EndPoint} -> {Target} ({Mode}, {OpenSessions} open)";

    internal void AddBytes(int count) => Interlocked.Add(ref bytesRelayed, count);

    /// <summary>Waits while the relay is blackholed, then for the latency left of a chunk received at <paramref name="receivedAt"/>.</summary>
    internal ValueTask BeforeForwardAsync(bool clientToServer, long receivedAt, CancellationToken cancellationToken)
    {
        long latency = Interlocked.Read(ref clientToServer ? ref clientToServerLatencyTicks : ref serverToClientLatencyTicks);
        Task flowing = Volatile.Read(ref flow).Task;
        if (latency == 0 && flowing.IsCompleted)
        {
            return ValueTask.CompletedTask; // the hot path: no allocation
        }

        return SlowAsync(latency, flowing);

        async ValueTask SlowAsync(long latencyTicks, Task flowingNow)
        {
            // timers may fire a millisecond early (they round to whole milliseconds): wait until the latency really passed
            TimeSpan latency = TimeSpan.FromTicks(latencyTicks);
            for (TimeSpan remaining = latency - Stopwatch.GetElapsedTime(receivedAt); remaining > TimeSpan.Zero; remaining = latency - Stopwatch.GetElapsedTime(receivedAt))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), cancellationToken).ConfigureAwait(false);
            }

            await WaitForFlowAsync(flowingNow, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits while the relay is blackholed.</summary>
    internal async ValueTask WaitForFlowAsync(CancellationToken cancellationToken) =>
        await WaitForFlowAsync(Volatile.Read(ref flow).Task, cancellationToken).ConfigureAwait(false);

    internal void OnSessionEnded(RelaySession session)
    {
        if (sessions.TryRemove(session, out _))
        {
            Interlocked.Decrement(ref openSessions);
        }
    }

    private static async ValueTask WaitForFlowAsync(Task flowing, CancellationToken cancellationToken)
    {
        // the mode may change again while waiting: re-check until the current gate is open
        while (!flowing.IsCompleted)
        {
            await flowing.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewOpenFlow()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private static TimeSpan RequireLatency(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        return value;
    }

    private void SetMode(RelayMode value)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (value == mode)
            {
                return;
            }

            switch (value)
            {
                case RelayMode.Up:
                    Listen();
                    flow.TrySetResult();
                    break;
                case RelayMode.Paused:
                    CloseListener();
                    flow.TrySetResult();
                    break;
                case RelayMode.Killed:
                    CloseListener();

                    // as the kernel closes the sockets of a SIGKILLed proxysql (measured on 2.7.2): an orderly close
                    // (FIN) where nothing is left unread, a reset where unread data remain
                    foreach (RelaySession session in sessions.Keys)
                    {
                        session.Crash();
                    }

                    flow.TrySetResult();
                    break;
                case RelayMode.Blackholed:
                    Listen();
                    if (flow.Task.IsCompleted)
                    {
                        Volatile.Write(ref flow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    }

                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown relay mode.");
            }

            mode = value;
        }
    }

    /// <summary>Opens the listener if it is closed. Caller holds <see cref="gate"/>.</summary>
    private void Listen()
    {
        if (listener is not null)
        {
            return;
        }

        var socket = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // sessions accepted earlier still hold this port: rebinding after Paused needs SO_REUSEADDR
            // (set raw on Linux: .NET's ReuseAddress may also set SO_REUSEPORT, which would let two
            // relays listen on one port)
            if (OperatingSystem.IsLinux())
            {
                const int SolSocket = 1;
                const int SoReuseAddr = 2;
                socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            }
            else
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            socket.Bind(EndPoint);
            socket.Listen(Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        listener = socket;
        acceptLoops.RemoveAll(loop => loop.IsCompleted);
        acceptLoops.Add(AcceptLoopAsync(socket));
    }

    /// <summary>Closes the listener so new connects are refused. Caller holds <see cref="gate"/>.</summary>
    private void CloseListener()
    {
        listener?.Dispose();
        listener = null;
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        await Task.Yield(); // never run the loop inside the caller's lock
        while (true)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(disposing.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                lock (gate)
                {
                    if (!ReferenceEquals(listener, socket) || disposed)
                    {
                        return; // this listener was closed
                    }
                }

                continue; // a transient accept error (e.g. the client gave up before accept)
            }

            Admit(client);
        }
    }

    private void Admit(Socket client)
    {
        lock (gate)
        {
            if (disposed || mode == RelayMode.Killed)
            {
                // accepted by the kernel just before the kill: a crashed node resets it too
                RelaySession.Reset(client);
                return;
            }

            var session = new RelaySession(this, client, Target, disposing.Token);
            sessions.TryAdd(session, 0);
            Interlocked.Increment(ref openSessions);
            Interlocked.Increment(ref totalSessions);
            session.Start();
        }
    }
}
