using System.Diagnostics;
using System.Globalization;

namespace ProxySql.Testing.Tests;

public sealed class ScratchSpaceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watchdog_kills_the_servers_and_deletes_the_folder_when_the_test_process_dies_without_cleanup()
    {
        string runDirectory = NewRunDirectory(out string root);
        using Process owner = StartLoop(root); // stands in for a test process that will be SIGKILLed
        using Process server = StartFakeServer(runDirectory);
        try
        {
            ScratchSpace.StartWatchdog(owner.Id, ScratchSpace.ProcessStartTicks(owner.Id), runDirectory);

            owner.Kill();

            await Eventually.TrueAsync(() => server.HasExited && !Directory.Exists(runDirectory), Deadline,
                () => $"server exited: {server.HasExited}, folder exists: {Directory.Exists(runDirectory)}");
        }
        finally
        {
            CleanUp(root, owner, server);
        }
    }

    [Fact]
    public async Task Next_run_sweeps_folders_of_dead_test_processes_and_kills_their_servers()
    {
        string runDirectory = NewRunDirectory(out string root, ownerPid: int.MaxValue); // no such process
        using Process server = StartFakeServer(runDirectory);
        using Process unrelated = StartLoop(root); // its command line does not name the folder: must survive
        try
        {
            ScratchSpace.SweepStaleRuns(root);

            await Eventually.TrueAsync(() => server.HasExited, Deadline, () => "the stale server still runs");
            Assert.False(Directory.Exists(runDirectory));
            Assert.False(unrelated.HasExited);
        }
        finally
        {
            CleanUp(root, server, unrelated);
        }
    }

    [Fact]
    public async Task Next_run_also_kills_proxysql_nodes_left_by_a_dead_test_process()
    {
        string runDirectory = NewRunDirectory(out string root, ownerPid: int.MaxValue);
        string nodeDirectory = Path.Combine(runDirectory, "proxysql-1");
        Directory.CreateDirectory(nodeDirectory);
        using Process node = StartLoop(nodeDirectory);
        File.WriteAllText(Path.Combine(nodeDirectory, ProxySqlNode.PidFileName), node.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        try
        {
            ScratchSpace.SweepStaleRuns(root);

            await Eventually.TrueAsync(() => node.HasExited, Deadline, () => "the stale node still runs");
            Assert.False(Directory.Exists(runDirectory));
        }
        finally
        {
            CleanUp(root, node);
        }
    }

    [Fact]
    public void Sweep_keeps_folders_of_live_test_processes()
    {
        string runDirectory = NewRunDirectory(out string root, ownerPid: Environment.ProcessId);

        ScratchSpace.SweepStaleRuns(root);

        Assert.True(Directory.Exists(runDirectory));
        Directory.Delete(root, recursive: true);
    }

    private static void CleanUp(string root, params Process[] processes)
    {
        foreach (Process process in processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string NewRunDirectory(out string root, int? ownerPid = null)
    {
        root = Path.Combine(Path.GetTempPath(), "proxysql-gen-scratch-test-" + Guid.NewGuid().ToString("N")[..8]);
        string ticks = ownerPid is int pid ? ScratchSpace.ProcessStartTicks(pid) : "1";
        string name = ownerPid is int owner ? $"run-{owner.ToString(CultureInfo.InvariantCulture)}-{(ticks.Length == 0 ? "1" : ticks)}" : "run-watched";
        string runDirectory = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(runDirectory, "db-1"));
        return runDirectory;
    }

    /// <summary>A process whose command line names the server folder, with its pid in the pid file, like mariadbd.</summary>
    private static Process StartFakeServer(string runDirectory)
    {
        string serverDirectory = Path.Combine(runDirectory, "db-1");
        Process server = StartLoop(serverDirectory);
        File.WriteAllText(Path.Combine(serverDirectory, MariaDbServer.PidFileName), server.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        return server;
    }

    private static Process StartLoop(string nameInCommandLine)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-c", "while :; do sleep 0.2; done", "fake", nameInCommandLine })
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo)!;
    }
}
