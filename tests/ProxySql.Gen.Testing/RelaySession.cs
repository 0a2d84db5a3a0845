using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProxySql.Testing;

/// <summary>
/// One client connection through a <see cref="FaultRelay"/> and its connection to the target, pumped
/// both ways. A session never throws: every failure ends it, and a reset on one side is passed on as a
/// reset to the other.
/// </summary>
internal sealed class RelaySession
{
    private const int BufferSize = 16 * 1024;

    private readonly FaultRelay relay;
    private readonly Socket client;
    private readonly Socket server;
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource aborted;
    private int closed;

    public RelaySession(FaultRelay relay, Socket client, IPEndPoint target, CancellationToken disposing)
    {
        this.relay = relay;
        this.client = client;
        this.target = target;
        server = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        aborted = CancellationTokenSource.CreateLinkedTokenSource(disposing);
        Completion = Task.CompletedTask;
    }

    /// <summary>Completes when the session has ended and released everything; never faults.</summary>
    public Task Completion { get; private set; }

    /// <summary>Resets a socket: the peer gets RST, not FIN.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(enable: true, seconds: 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already closed
        }

        socket.Dispose();
    }

    /// <summary>Starts pumping. Called once, under the relay's lock, so <see cref="Completion"/> is set before anyone reads it.</summary>
    public void Start() => Completion = RunAsync();

    /// <summary>Ends the session now: with RST on both sides when <paramref name="reset"/>, else with a normal close.</summary>
    public void Abort(bool reset)
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        if (reset)
        {
            Reset(client);
            Reset(server);
        }
        else
        {
            client.Dispose();
            server.Dispose();
        }

        try
        {
            aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the session finished on its own meanwhile
        }
    }

    /// <summary>
    /// Ends the session as the kernel ends the sockets of a killed process: an orderly close (FIN) where nothing is
    /// left unread. The sockets are shut down now and disposed once the pumps have stopped: disposing a socket with an
    /// operation still pending would close it abortively (RST).
    /// </summary>
    public void Crash()
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        foreach (Socket socket in new[] { client, server })
        {
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // not connected yet, or already closed
            }
        }

        try
        {
            aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the session finished on its own meanwhile
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield(); // leave the relay's lock before any work
        try
        {
            client.NoDelay = true;
            server.NoDelay = true;
            await server.ConnectAsync(target, aborted.Token).ConfigureAwait(false);
            Task up = PumpAsync(client, server, clientToServer: true);
            Task down = PumpAsync(server, client, clientToServer: false);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the target refused or the session was aborted: the client sees a reset, as from a node without a backend
            Abort(reset: true);
        }
        finally
        {
            // nothing is pending on the sockets any more: a crash's shut-down sockets close without a reset now
            client.Dispose();
            server.Dispose();
            aborted.Dispose();
            relay.OnSessionEnded(this);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool clientToServer)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            // socket calls take no token: Abort disposes the sockets, which ends them (and is cheaper)
            while (true)
            {
                int received = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    // end of stream: pass the FIN on (not through a blackhole) and end the session. The MySQL
                    // protocol has no half-closed use, and an idle client would otherwise keep a session to a
                    // dead target open (and counted) until it next wrote.
                    await relay.WaitForFlowAsync(aborted.Token).ConfigureAwait(false);
                    to.Shutdown(SocketShutdown.Send);
                    Abort(reset: false);
                    return;
                }

                await relay.BeforeForwardAsync(clientToServer, Stopwatch.GetTimestamp(), aborted.Token).ConfigureAwait(false);
                int sent = 0;
                while (sent < received)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, received - sent), SocketFlags.None).ConfigureAwait(false);
                }

                relay.AddBytes(received);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // a reset, a kill or a dispose: end both sides with a reset so each peer sees the failure
            Abort(reset: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
