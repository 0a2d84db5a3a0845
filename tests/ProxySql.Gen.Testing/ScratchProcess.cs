using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProxySql.Testing;

/// <summary>
/// The process handling <see cref="MariaDbServer"/> and <see cref="ProxySqlNode"/> share: one server process at a
/// time in an instance folder under <see cref="ScratchSpace"/>, started with its pipes drained and its PID written
/// into the folder (so the watchdog and the next test process's sweep can kill it after a crashed run), stopped
/// politely or killed by that PID, and on dispose killed with the folder deleted. Every lifecycle change runs under
/// one lock, so a stop, a kill, a restart and a dispose never interleave.
/// </summary>
internal sealed class ScratchProcess : IScratchProcess
{
    /// <summary>Waited for a killed process to be reaped, synchronously (at process exit there is no time for more).</summary>
    private const int KillWaitMilliseconds = 10_000;

    private readonly SemaphoreSlim lifecycle = new(1, 1);
    private readonly string pidFile;
    private Process? process;
    private bool disposed;

    /// <summary>Takes <paramref name="directory"/> for one server process and registers it to be killed at process exit.</summary>
    /// <param name="directory">The instance folder (from <see cref="ScratchSpace.NewInstanceDirectory"/>); deleted on dispose.</param>
    /// <param name="pidFileName">The file in it that keeps the PID of the process this fixture started.</param>
    public ScratchProcess(string directory, string pidFileName)
    {
        Directory = directory;
        pidFile = Path.Combine(directory, pidFileName);
        ScratchSpace.Track(this);
    }

    /// <summary>The instance folder.</summary>
    public string Directory { get; }

    /// <summary>The PID of the running process, or 0 while there is none.</summary>
    public int Pid
    {
        get
        {
            Process? running = process;
            try
            {
                return running is { HasExited: false } ? running.Id : 0;
            }
            catch (InvalidOperationException)
            {
                return 0; // disposed by a concurrent stop
            }
        }
    }

    /// <summary>Runs <paramref name="change"/> under the lifecycle lock.</summary>
    /// <param name="change">A start, stop or restart.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock.</param>
    /// <returns>A task that completes when the change is done.</returns>
    /// <exception cref="ObjectDisposedException">The process was disposed.</exception>
    public async Task ChangeAsync(Func<Task> change, CancellationToken cancellationToken)
    {
        await lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            await change().ConfigureAwait(false);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> (inside <see cref="ChangeAsync"/>), records its PID, and waits with
    /// <paramref name="waitUntilReady"/>; a process that does not become ready is killed before the error propagates.
    /// </summary>
    /// <param name="fileName">The binary.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="output">Receives each line of standard output and standard error (<see langword="null"/> lines at their end).</param>
    /// <param name="waitUntilReady">Waits until the process serves; throws when it does not.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the process is ready.</returns>
    /// <exception cref="System.ComponentModel.Win32Exception">The binary could not be started.</exception>
    public async Task LaunchAsync(string fileName, IEnumerable<string> arguments, Action<string?> output, Func<Process, CancellationToken, Task> waitUntilReady, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var started = new Process { StartInfo = startInfo };

        // drain the pipes, so the server never blocks on them
        started.OutputDataReceived += (_, e) => output(e.Data);
        started.ErrorDataReceived += (_, e) => output(e.Data);
        try
        {
            started.Start();
        }
        catch
        {
            started.Dispose();
            throw;
        }

        started.StandardInput.Close();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;
        File.WriteAllText(pidFile, started.Id.ToString(CultureInfo.InvariantCulture) + "\n");

        try
        {
            await waitUntilReady(started, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            KillAndForget();
            throw;
        }
    }

    /// <summary>
    /// Asks the process to exit with <paramref name="askToExit"/> and waits up to <paramref name="grace"/>; kills it when
    /// it has not exited by then or the caller cancels. Nothing happens when no process runs.
    /// </summary>
    /// <param name="askToExit">The polite request (e.g. <c>SHUTDOWN</c>, SIGTERM).</param>
    /// <param name="grace">How long the process may take to exit.</param>
    /// <param name="cancellationToken">Cancels the wait; the process is killed, then the cancellation propagates.</param>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task StopAsync(Func<Process, CancellationToken, Task> askToExit, TimeSpan grace, CancellationToken cancellationToken) =>
        ChangeAsync(
            async () =>
            {
                if (process is { HasExited: false } running)
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(grace);
                    try
                    {
                        await askToExit(running, deadline.Token).ConfigureAwait(false);
                        await running.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        KillAndForget();
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }

                KillAndForget();
            },
            CancellationToken.None);

    /// <summary>Kills the process (SIGKILL), as a crash would, and forgets it.</summary>
    /// <returns>A task that completes when the process has exited.</returns>
    public Task KillAsync() => ChangeAsync(() => { KillAndForget(); return Task.CompletedTask; }, CancellationToken.None);

    /// <summary>Kills the process and forgets it; only inside <see cref="ChangeAsync"/> or a launch.</summary>
    public void KillAndForget()
    {
        KillNow();
        process?.Dispose();
        process = null;
    }

    /// <summary>Kills the process and deletes the instance folder; later calls do nothing.</summary>
    /// <returns>A task that completes when the process is gone and the files are deleted.</returns>
    public async ValueTask DisposeAsync()
    {
        await lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            KillAndForget();
            ScratchSpace.DeleteDirectory(Directory);
            ScratchSpace.Untrack(this);
        }
        finally
        {
            lifecycle.Release();
        }
    }

    /// <inheritdoc/>
    public void KillNow()
    {
        Process? running = process;
        if (running is null)
        {
            return;
        }

        try
        {
            if (!running.HasExited)
            {
                running.Kill(); // SIGKILL on Unix
                running.WaitForExit(KillWaitMilliseconds);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already exited
        }
    }

    /// <summary>Whether something accepts TCP connections on <paramref name="endPoint"/>.</summary>
    /// <param name="endPoint">Where.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns><see langword="true"/> when the connect succeeded.</returns>
    public static async Task<bool> AcceptsTcpAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
