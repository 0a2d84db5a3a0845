using MySqlConnector;

namespace ProxySql.Testing;

/// <summary>Options of a <see cref="Workload"/>.</summary>
public sealed record WorkloadOptions
{
    /// <summary>The statement each worker runs on every connection it gets; it must return a value. Default <c>SELECT 1</c>.</summary>
    public string Statement { get; init; } = "SELECT 1";

    /// <summary>
    /// The work done on each connection instead of <see cref="Statement"/> (e.g. an insert with parameters); what it
    /// throws is a statement failure. <see langword="null"/> runs <see cref="Statement"/>.
    /// </summary>
    public Func<MySqlConnection, WorkloadOperation, Task>? Work { get; init; }

    /// <summary>An open or statement outliving this is a hang: far above every timeout the tests configure. Default 30 s; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a worker waits after a failed open before it tries again (so an outage is not a busy loop). Default none.</summary>
    public TimeSpan PauseAfterFailedOpen { get; init; } = TimeSpan.Zero;

    /// <summary>How long a worker waits after a failed statement before it opens again. Default none.</summary>
    public TimeSpan PauseAfterFailedStatement { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Called on the worker after every operation that ended (succeeded or failed; not a hang), with its stage
    /// timestamps: for per-operation latency, throughput windows or per-peer series (the failover benchmark).
    /// It must be cheap and must not throw. <see langword="null"/> (the default) costs nothing.
    /// </summary>
    public Action<WorkloadCompletion>? OnCompleted { get; init; }
}
