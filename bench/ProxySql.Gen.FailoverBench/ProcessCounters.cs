using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ProxySql.FailoverBench;

/// <summary>
/// Whole-process counters read at the start and end of a measured window, to say where CPU per operation goes:
/// thread-pool work items (async hops), lock contentions and context switches (threads put to sleep and woken).
/// </summary>
internal readonly record struct ProcessCounters(TimeSpan Cpu, long AllocatedBytes, long WorkItems, long LockContentions, long VoluntarySwitches, long InvoluntarySwitches)
{
    public static ProcessCounters Read()
    {
        var (voluntary, involuntary) = ContextSwitches();
        return new ProcessCounters(
            Process.GetCurrentProcess().TotalProcessorTime,
            GC.GetTotalAllocatedBytes(precise: false),
            ThreadPool.CompletedWorkItemCount,
            Monitor.LockContentionCount,
            voluntary,
            involuntary);
    }

    public static ProcessCounters operator -(ProcessCounters end, ProcessCounters start) => new(
        end.Cpu - start.Cpu,
        end.AllocatedBytes - start.AllocatedBytes,
        end.WorkItems - start.WorkItems,
        end.LockContentions - start.LockContentions,
        end.VoluntarySwitches - start.VoluntarySwitches,
        end.InvoluntarySwitches - start.InvoluntarySwitches);

    /// <summary>All threads' context switches so far (getrusage RUSAGE_SELF); -1 where the call is not available.</summary>
    private static (long Voluntary, long Involuntary) ContextSwitches()
    {
        if (!OperatingSystem.IsLinux())
            return (-1, -1);
        return GetRusage(0, out var usage) == 0 ? (usage.VoluntarySwitches, usage.InvoluntarySwitches) : (-1, -1);
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out Rusage usage);

    /// <summary>struct rusage on 64-bit Linux: two timevals, then fourteen longs; the context switches are the last two.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, SharedMemory, UnsharedData, UnsharedStack, MinorFaults, MajorFaults, Swaps, BlockReads, BlockWrites, MessagesSent, MessagesReceived, Signals;
        public long VoluntarySwitches, InvoluntarySwitches;
    }
}
