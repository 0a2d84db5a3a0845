namespace ProxySql.Testing;

/// <summary>Options of a <see cref="Workload"/>.</summary>
public sealed record WorkloadOptions
{
    /// <summary>The statement each worker runs on every connection it gets; it must return a value. Default <c>SELECT 1</c>.</summary>
    public string Statement { get; init; } = "SELECT 1";

    /// <summary>An open or statement outliving this is a hang: far above every timeout the tests configure. Default 30 s.</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(30);
}
