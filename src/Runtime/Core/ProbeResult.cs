namespace ProxySql.Core;

/// <summary>What one probe of one peer found.</summary>
/// <param name="Succeeded">The node accepts new connections and a probe statement reached a backend.</param>
/// <param name="Kind">Why it failed (meaningless on success).</param>
/// <param name="Error">The failure, or <see langword="null"/>.</param>
internal readonly record struct ProbeResult(bool Succeeded, FailureKind Kind, Exception? Error)
{
    public static readonly ProbeResult Success = new(true, default, null);

    public static ProbeResult Cancelled(Exception error) => new(false, FailureKind.Cancelled, error);
}
