namespace ProxySql.Core;

/// <summary>
/// Slow start (as HAProxy's <c>slowstart</c> and Envoy's slow start window): a peer back Up ramps linearly from a
/// small share to its full share, so a fleet does not open thousands of sessions at once on a node whose backend
/// pool is cold.
/// </summary>
internal static class SlowStart
{
    /// <summary>The share a peer gets the moment it recovers; never 0, so it is sampled and its ramp is seen.</summary>
    public const double InitialRamp = 0.05;

    public static double Ramp(DateTimeOffset recoveredAt, DateTimeOffset now, TimeSpan window)
    {
        if (window <= TimeSpan.Zero || recoveredAt == DateTimeOffset.MinValue)
            return 1;
        var elapsed = now - recoveredAt;
        if (elapsed >= window)
            return 1;
        return Math.Max(InitialRamp, elapsed / window);
    }
}
