namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>A peer whose fault mode a <see cref="ChaosSchedule{TMode}"/> switches, with the history of its modes.</summary>
internal interface IFaultTimeline<TMode>
    where TMode : struct, Enum
{
    ModeHistory<TMode> History { get; }

    TMode Current { get; }

    /// <summary>Switches the peer to <paramref name="mode"/> (undoing the current fault first) and records when, on the safe side.</summary>
    Task SetAsync(TMode mode);
}
