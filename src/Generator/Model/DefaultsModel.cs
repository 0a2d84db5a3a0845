namespace ProxySql.Generator.Model;

/// <summary>Compile-time defaults from the attribute; <see langword="null"/> where not set.</summary>
/// <param name="CheckIntervalTicks">CheckInterval in ticks.</param>
/// <param name="ConnectTimeoutTicks">ConnectTimeout in ticks.</param>
/// <param name="HedgeDelayTicks">HedgeDelay in ticks.</param>
/// <param name="ProbeIntervalTicks">ProbeInterval in ticks.</param>
/// <param name="Strategy">The <c>ProxySqlStrategy</c> member name.</param>
/// <param name="ProbeTimeoutTicks">ProbeTimeout in ticks.</param>
/// <param name="SlowStartWindowTicks">SlowStartWindow in ticks (0 is off).</param>
/// <param name="ProbeQuery">The probe statement, trimmed.</param>
/// <param name="MaxHedgedAttempts">Extra attempts in flight per open.</param>
/// <param name="ShutdownSessionsOnMarkDown">Whether sessions in use are closed on a mark-down.</param>
internal sealed record DefaultsModel(
    long? CheckIntervalTicks,
    long? ConnectTimeoutTicks,
    long? HedgeDelayTicks,
    long? ProbeIntervalTicks,
    string? Strategy,
    long? ProbeTimeoutTicks,
    long? SlowStartWindowTicks,
    string? ProbeQuery,
    int? MaxHedgedAttempts,
    bool? ShutdownSessionsOnMarkDown)
{
    public bool IsEmpty =>
        CheckIntervalTicks is null && ConnectTimeoutTicks is null && HedgeDelayTicks is null && ProbeIntervalTicks is null && Strategy is null
        && ProbeTimeoutTicks is null && SlowStartWindowTicks is null && ProbeQuery is null && MaxHedgedAttempts is null && ShutdownSessionsOnMarkDown is null;
}
