using System.Diagnostics;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>A relay and the <see cref="ModeHistory{TMode}"/> of its modes; the relay switches at once, so <see cref="Set"/> is synchronous.</summary>
internal sealed class ModeTimeline(FaultRelay relay) : IFaultTimeline<RelayMode>
{
    private readonly Lock _gate = new();

    public FaultRelay Relay { get; } = relay;

    public ModeHistory<RelayMode> History { get; } = new(RelayMode.Up);

    public RelayMode Current => History.Current;

    /// <summary>Switches the relay to <paramref name="mode"/> and records when.</summary>
    public void Set(RelayMode mode)
    {
        lock (_gate)
        {
            if (History.Current == mode)
                return;
            if (mode == RelayMode.Up)
            {
                Relay.Mode = mode;
                History.Record(Stopwatch.GetTimestamp(), mode);
            }
            else
            {
                History.Record(Stopwatch.GetTimestamp(), mode);
                Relay.Mode = mode;
            }
        }
    }

    public Task SetAsync(RelayMode mode)
    {
        Set(mode);
        return Task.CompletedTask;
    }

    /// <inheritdoc cref="ModeHistory{TMode}.UpThroughout"/>
    public bool UpThroughout(long from, long to) => History.UpThroughout(from, to);

    /// <inheritdoc cref="ModeHistory{TMode}.InAnyDuring"/>
    public bool InAnyDuring(long from, long to, params RelayMode[] modes) => History.InAnyDuring(from, to, modes);
}
