namespace ProxySql.Generator.Model;

/// <summary>Compile-time defaults from the attribute; <see langword="null"/> where not set.</summary>
/// <param name="CheckIntervalTicks">CheckInterval in ticks.</param>
/// <param name="ConnectTimeoutTicks">ConnectTimeout in ticks.</param>
/// <param name="HedgeDelayTicks">HedgeDelay in ticks.</param>
/// <param name="ProbeIntervalTicks">ProbeInterval in ticks.</param>
/// <param name="Strategy">The <c>ProxySqlStrategy</c> member name.</param>
internal sealed record DefaultsModel(long? CheckIntervalTicks, long? ConnectTimeoutTicks, long? HedgeDelayTicks, long? ProbeIntervalTicks, string? Strategy)
{
    public bool IsEmpty => CheckIntervalTicks is null && ConnectTimeoutTicks is null && HedgeDelayTicks is null && ProbeIntervalTicks is null && Strategy is null;
}
