using System.Diagnostics;
using System.Globalization;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// The scripted faults: rolling maintenance of the first node (pause, wait until drained, stop, restore), a kill
/// of the second and a blackhole of the third, each in its own time slot, with a quiet start and end.
/// </summary>
internal sealed class Scenario(IReadOnlyList<Node> nodes, DemoOptions options, EventLog events)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    /// <summary>How the rolling maintenance went, or <see langword="null"/> when the scenario has no pause.</summary>
    public DrainReport? Drain { get; private set; }

    /// <summary>How long the scenario actually runs: the requested duration, stretched to fit its steps.</summary>
    public TimeSpan PlannedDuration => Warmup + (Slot * Steps.Length) + Cooldown;

    private TimeSpan Warmup => TimeSpan.FromSeconds(options.Short ? 1.5 : 3);

    private TimeSpan Cooldown => TimeSpan.FromSeconds(options.Short ? 1.5 : 3);

    /// <summary>How long the paused node may take to drain before the run counts it as failed.</summary>
    private TimeSpan DrainTimeout => TimeSpan.FromSeconds(options.Short ? 5 : 10);

    private TimeSpan Slot
    {
        get
        {
            var minimum = TimeSpan.FromSeconds(options.Short ? 3.5 : 5);
            var share = (options.Duration - Warmup - Cooldown) / Steps.Length;
            return share > minimum ? share : minimum;
        }
    }

    private ScenarioKind[] Steps => options.Scenario switch
    {
        ScenarioKind.All => [ScenarioKind.Pause, ScenarioKind.Kill, ScenarioKind.Blackhole],
        var single => [single],
    };

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var slot = Slot;
        await UntilAsync(start, Warmup, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < Steps.Length; i++)
        {
            var slotStart = Warmup + (slot * i);
            await UntilAsync(start, slotStart, cancellationToken).ConfigureAwait(false);
            var slotStartedAt = Stopwatch.GetTimestamp();
            switch (Steps[i])
            {
                case ScenarioKind.Pause:
                    await RollingMaintenanceAsync(nodes[0], slotStartedAt, slot, cancellationToken).ConfigureAwait(false);
                    break;
                case ScenarioKind.Kill:
                    await KillAsync(nodes[1], slotStartedAt, slot, cancellationToken).ConfigureAwait(false);
                    break;
                case ScenarioKind.Blackhole:
                    await BlackholeAsync(nodes[2], slotStartedAt, slot, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        await UntilAsync(start, Warmup + (slot * Steps.Length) + Cooldown, cancellationToken).ConfigureAwait(false);
    }

    private async Task RollingMaintenanceAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        var relay = node.Relay;
        events.Add($"pause {node.Peer.Name} (PROXYSQL PAUSE): connects refused, {relay.OpenSessions} open sessions go on");
        relay.Mode = RelayMode.Paused;
        var pausedAt = Stopwatch.GetTimestamp();
        var sawDraining = false;
        while (relay.OpenSessions > 0 || node.Peer.ConnectionsInUse > 0)
        {
            sawDraining |= node.Peer.State == ProxySqlPeerState.Draining;
            if (Stopwatch.GetElapsedTime(pausedAt) > DrainTimeout)
                break;
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }

        var drainTime = Stopwatch.GetElapsedTime(pausedAt);
        var state = node.Peer.State;
        sawDraining |= state == ProxySqlPeerState.Draining;
        var sessions = relay.OpenSessions;
        var inUse = node.Peer.ConnectionsInUse;
        var drained = sessions == 0 && inUse == 0;
        if (drained)
        {
            events.Add(Invariant($"{node.Peer.Name} drained in {drainTime.TotalSeconds:0.00} s: no session at the node, none in use ({state}{(sawDraining ? "" : ", never Draining")})"), EventKind.Good);
        }
        else
        {
            events.Add(Invariant($"{node.Peer.Name} did NOT drain in {DrainTimeout.TotalSeconds:0} s: {sessions} sessions at the node, {inUse} in use ({state})"), EventKind.Failure);
        }

        events.Add(Invariant($"stop {node.Peer.Name}: {relay.OpenSessions} sessions left to cut"));
        node.Kill();
        Drain = new DrainReport(node.Peer.Name, drained, drainTime, sawDraining, state, sessions, inUse);

        await UntilAsync(slotStart, Max(slot * 0.5, Stopwatch.GetElapsedTime(slotStart) + TimeSpan.FromSeconds(0.5)), cancellationToken).ConfigureAwait(false);
        events.Add($"restore {node.Peer.Name}: accepts connects again");
        relay.Mode = RelayMode.Up;
        await UntilAsync(slotStart, slot, cancellationToken).ConfigureAwait(false);
    }

    private async Task KillAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        events.Add($"kill {node.Peer.Name} (crash): {node.Relay.OpenSessions} open sessions reset, connects refused");
        node.Kill();
        await UntilAsync(slotStart, slot * 0.45, cancellationToken).ConfigureAwait(false);
        events.Add($"restart {node.Peer.Name}");
        node.Relay.Mode = RelayMode.Up;
        await UntilAsync(slotStart, slot, cancellationToken).ConfigureAwait(false);
    }

    private async Task BlackholeAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        events.Add($"blackhole {node.Peer.Name} (hang): connects and {node.Relay.OpenSessions} open sessions get no answer");
        node.Relay.Mode = RelayMode.Blackholed;

        // Long enough for the connect timeout (2 s) to mark it Down while callers are served elsewhere.
        await UntilAsync(slotStart, slot * 0.7, cancellationToken).ConfigureAwait(false);
        events.Add($"heal {node.Peer.Name}: stalled sessions resume");
        node.Relay.Mode = RelayMode.Up;
        await UntilAsync(slotStart, slot, cancellationToken).ConfigureAwait(false);
    }

    private static async Task UntilAsync(long origin, TimeSpan offset, CancellationToken cancellationToken)
    {
        var remaining = offset - Stopwatch.GetElapsedTime(origin);
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>How the rolling maintenance of one node went.</summary>
internal sealed record DrainReport(string Peer, bool Drained, TimeSpan DrainTime, bool SawDraining, ProxySqlPeerState StateWhenDone, int SessionsLeft, int InUseLeft);
