using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ProxySql.Testing;

/// <summary>
/// The per-process folder under the temp directory that holds every datadir this process creates,
/// and the bookkeeping that removes it: the servers and ProxySQL nodes of this process are killed on process exit, and
/// folders left by a process that died without exiting (SIGKILL, crash) are swept on the next start.
/// </summary>
internal static class ScratchSpace
{
    private const string RunPrefix = "run-";
    private const int MaxUnixSocketPath = 100;

    private static readonly ConcurrentDictionary<IScratchProcess, byte> Live = new();
    private static readonly Lazy<string> LazyRunDirectory = new(CreateRunDirectory, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int nextId;

    /// <summary>The folder of this process, created (and stale folders swept) on first use.</summary>
    public static string RunDirectory => LazyRunDirectory.Value;

    /// <summary>A new, empty folder for one server.</summary>
    public static string NewInstanceDirectory(string prefix)
    {
        string path = Path.Combine(RunDirectory, prefix + Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Track(IScratchProcess server) => Live.TryAdd(server, 0);

    public static void Untrack(IScratchProcess server) => Live.TryRemove(server, out _);

    /// <summary>Deletes a folder, tolerating files that vanish meanwhile.</summary>
    public static void DeleteDirectory(string path)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a server that was just killed may still be removing its socket or pid file
            }
        }
    }

    private static string CreateRunDirectory()
    {
        string root = Path.Combine(Path.GetTempPath(), "proxysql-gen-testing");
        if (root.Length > MaxUnixSocketPath - 40)
        {
            // unix socket paths are limited to 108 bytes: keep ours short when TMPDIR is long
            root = "/tmp/proxysql-gen-testing";
        }

        Directory.CreateDirectory(root);
        SweepStaleRuns(root);

        using var self = Process.GetCurrentProcess();
        string path = Path.Combine(root, RunPrefix + self.Id.ToString(CultureInfo.InvariantCulture) + "-" + ProcessStartTicks(self.Id));
        Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUpAtExit(path);
        StartWatchdog(self.Id, ProcessStartTicks(self.Id), path);
        return path;
    }

    /// <summary>
    /// Starts a small shell process that outlives this one: when this process is gone (even by SIGKILL or a
    /// crash, when ProcessExit does not run) it kills the servers left in <paramref name="runDirectory"/> and deletes it.
    /// </summary>
    internal static void StartWatchdog(int ownerPid, string ownerStartTicks, string runDirectory)
    {
        const string Script = """
            exec </dev/null >/dev/null 2>&1
            owner=$1; start=$2; dir=$3
            alive() {
                stat=$(sed 's/.*) //' "/proc/$owner/stat" 2>/dev/null) || return 1
                set -- $stat
                [ "$1" != Z ] && [ "${20}" = "$start" ]
            }
            while alive; do sleep 0.5; done
            for f in "$dir"/*/*.pid; do
                [ -f "$f" ] || continue
                pid=$(cat "$f")
                grep -qF "$dir" "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid"
            done
            rm -rf "$dir"
            """;
        try
        {
            var startInfo = new ProcessStartInfo("/bin/sh")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in new[] { "-c", Script, "proxysql-gen-testing-watchdog", ownerPid.ToString(CultureInfo.InvariantCulture), ownerStartTicks, runDirectory })
            {
                startInfo.ArgumentList.Add(argument);
            }

            using Process? watchdog = Process.Start(startInfo);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            // no /bin/sh: ProcessExit and the sweep of the next run still clean up
        }
    }

    private static void CleanUpAtExit(string runDirectory)
    {
        foreach (IScratchProcess server in Live.Keys)
        {
            server.KillNow();
        }

        DeleteDirectory(runDirectory);
    }

    /// <summary>
    /// Removes folders of test processes that are gone, killing any server still running on them.
    /// </summary>
    internal static void SweepStaleRuns(string root)
    {
        foreach (string run in Directory.EnumerateDirectories(root, RunPrefix + "*"))
        {
            string[] parts = Path.GetFileName(run)[RunPrefix.Length..].Split('-');
            if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int ownerPid))
            {
                continue;
            }

            if (ProcessStartTicks(ownerPid) == parts[1])
            {
                continue; // owner still running
            }

            // each instance folder keeps the pid file of its process (mariadbd.pid, proxysql-node.pid)
            foreach (string instance in Directory.EnumerateDirectories(run))
            {
                foreach (string pidFile in Directory.EnumerateFiles(instance, "*.pid"))
                {
                    KillStaleServer(pidFile);
                }
            }

            DeleteDirectory(run);
        }
    }

    private static void KillStaleServer(string pidFile)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out int pid))
            {
                return;
            }

            // the pid may have been reused: only kill a process whose command line names this datadir
            string cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            string instanceDirectory = Path.GetDirectoryName(pidFile)!;
            if (cmdline.Contains(instanceDirectory, StringComparison.Ordinal))
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5_000);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
    }

    /// <summary>The start time of a process in clock ticks since boot, or "" when it does not exist or is a zombie.</summary>
    internal static string ProcessStartTicks(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

            // field 3 is the state (a zombie is dead), field 22 the start time; the split starts at field 3
            return fields[0] is "Z" or "X" ? "" : fields[19];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return "";
        }
    }
}
