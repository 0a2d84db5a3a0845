using System.Globalization;

namespace ProxySql.Demo;

/// <summary>
/// The demo's own folder for ProxySQL nodes, <c>$TMPDIR/proxysql-gen-demo/run-PID</c>, one sub-folder per node with
/// its config, datadir, log and PID file. A run that died without cleaning up (SIGKILL) leaves its folder behind:
/// the next run kills the nodes named in it (only when that PID still runs a proxysql on that folder) and deletes it.
/// </summary>
internal static class DemoScratch
{
    public const string PidFileName = "proxysql.pid";
    private const string RunPrefix = "run-";

    private static readonly Lazy<string> LazyRunDirectory = new(CreateRunDirectory, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string Root => Path.Combine(Path.GetTempPath(), "proxysql-gen-demo");

    /// <summary>This run's folder, created (and stale runs swept) on first use.</summary>
    public static string RunDirectory => LazyRunDirectory.Value;

    /// <summary>Deletes this run's folder; its nodes must have been stopped.</summary>
    public static bool DeleteRunDirectory()
    {
        if (!LazyRunDirectory.IsValueCreated)
            return true;
        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
        catch (IOException)
        {
            return false;
        }

        return !Directory.Exists(RunDirectory);
    }

    private static string CreateRunDirectory()
    {
        Directory.CreateDirectory(Root);
        foreach (var stale in Directory.EnumerateDirectories(Root, RunPrefix + "*"))
            SweepIfOrphaned(stale);
        var path = Path.Combine(Root, RunPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true); // a PID reused after a reboot
        Directory.CreateDirectory(path);
        return path;
    }

    private static void SweepIfOrphaned(string runDirectory)
    {
        var name = Path.GetFileName(runDirectory);
        if (!int.TryParse(name.AsSpan(RunPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var owner) ||
            owner == Environment.ProcessId || Directory.Exists($"/proc/{owner}"))
        {
            return;
        }

        foreach (var pidFile in Directory.EnumerateFiles(runDirectory, PidFileName, SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) &&
                RunsIn(pid, Path.GetDirectoryName(pidFile)!))
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                process.WaitForExit(5000);
            }
        }

        try
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        catch (IOException)
        {
            // another demo sweeping at the same time; it will be gone
        }
    }

    /// <summary>Whether <paramref name="pid"/> is a live process whose command line names <paramref name="folder"/>.</summary>
    private static bool RunsIn(int pid, string folder)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(folder, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
