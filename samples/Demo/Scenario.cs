using System.Diagnostics;
using System.Globalization;

namespace ProxySql.Demo;

/// <summary>
/// The scripted faults: rolling maintenance of the first node (pause, wait until the node reports no client session,
/// stop, start, resume), a kill and restart of the second, and on the third a blackhole (relays) or the loss of its
/// MySQL servers (real ProxySQL), each in its own time slot, with a quiet start and end.
/// </summary>
internal sealed class Scenario(IReadOnlyList<Node> nodes, DemoOptions options, EventLog events)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>ProxySQL's wait for a backend, lowered from its 10 s default so the backends phase shows its effect quickly.</summary>
    private static readonly TimeSpan ConnectTimeoutServerMax = TimeSpan.FromMilliseconds(1500);

    /// <summary>How the rolling maintenance went, or <see langword="null"/> when the scenario has no pause.</summary>
    public DrainReport? Drain { get; private set; }

    /// <summary>How long the scenario actually runs: the requested duration, stretched to fit its steps.</summary>
    public TimeSpan PlannedDuration => Warmup + (Slot * Steps.Length) + Cooldown;

    /// <summary>The steps, in order, for the nodes at hand (the third node's fault depends on what plays it).</summary>
    public ScenarioKind[] Steps => options.Scenario switch
    {
        ScenarioKind.All => [ScenarioKind.Pause, ScenarioKind.Kill, nodes[2].Host.CanBlackhole ? ScenarioKind.Blackhole : ScenarioKind.Backends],
        var single => [single],
    };

    private bool RealNodes => nodes[0].Host.CanDropBackends;

    private TimeSpan Warmup => TimeSpan.FromSeconds(options.Short ? 1.5 : 3);

    private TimeSpan Cooldown => TimeSpan.FromSeconds(options.Short ? 1.5 : 3);

    /// <summary>How long the paused node may take to drain before the run counts it as failed.</summary>
    private TimeSpan DrainTimeout => TimeSpan.FromSeconds(options.Short ? 6 : 10);

    private TimeSpan Slot
    {
        get
        {
            // a real node's pause takes 1-2 s to return and its restart up to a second or two under load
            var minimum = TimeSpan.FromSeconds((options.Short, RealNodes) switch
            {
                (true, false) => 3.5,
                (true, true) => 5,
                (false, false) => 5,
                (false, true) => 7,
            });
            var share = (options.Duration - Warmup - Cooldown) / Steps.Length;
            return share > minimum ? share : minimum;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var slot = Slot;
        var steps = Steps;
        await UntilAsync(start, Warmup, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < steps.Length; i++)
        {
            var slotStart = Warmup + (slot * i);
            await UntilAsync(start, slotStart, cancellationToken).ConfigureAwait(false);
            var slotStartedAt = Stopwatch.GetTimestamp();
            switch (steps[i])
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
                case ScenarioKind.Backends:
                    await BackendsGoneAsync(nodes[2], slotStartedAt, slot, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        await UntilAsync(start, Warmup + (slot * steps.Length) + Cooldown, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After an interrupt: lifts the faults that hold statements (blackhole, lost backends), so they finish.</summary>
    public async Task LiftFaultsAsync()
    {
        foreach (var node in nodes)
        {
            try
            {
                switch (node.Host.Status.Condition)
                {
                    case NodeCondition.Blackholed:
                        await node.Host.SetBlackholedAsync(false, CancellationToken.None).ConfigureAwait(false);
                        break;
                    case NodeCondition.NoBackends:
                        await node.Host.SetBackendsOnlineAsync(true, CancellationToken.None).ConfigureAwait(false);
                        break;
                }
            }
#pragma warning disable CA1031 // Best effort while shutting down; the node is stopped right after.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                events.Add($"could not lift the fault on {node.Peer.Name}: {ex.Message}", EventKind.Failure);
            }
        }
    }

    private async Task RollingMaintenanceAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        var host = node.Host;
        var before = await host.ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        events.Add(Invariant($"pause {node.Peer.Name} (PROXYSQL PAUSE): new connects refused, its {before.Sessions} client sessions go on"));
        var pausing = Stopwatch.GetTimestamp();
        var answer = await host.PauseAsync(cancellationToken).ConfigureAwait(false);
        var pausedAt = Stopwatch.GetTimestamp();
        events.Add(Invariant($"{node.Peer.Name} answered PAUSE after {Stopwatch.GetElapsedTime(pausing).TotalSeconds:0.00} s: {answer}"));

        // Drained when the node itself reports no client session, and the application has none in use there.
        var sawDraining = false;
        var status = await host.ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        while (status.Sessions != 0 || node.Peer.ConnectionsInUse > 0)
        {
            sawDraining |= node.Peer.State == ProxySqlPeerState.Draining;
            if (Stopwatch.GetElapsedTime(pausing) > DrainTimeout)
                break;
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            status = await host.ReadStatusAsync(cancellationToken).ConfigureAwait(false);
        }

        var drainTime = Stopwatch.GetElapsedTime(pausing);
        var sincePaused = Stopwatch.GetElapsedTime(pausedAt);
        var state = node.Peer.State;
        sawDraining |= state == ProxySqlPeerState.Draining;
        var sessions = status.Sessions ?? -1;
        var inUse = node.Peer.ConnectionsInUse;
        var drained = sessions == 0 && inUse == 0;
        if (drained)
        {
            events.Add(Invariant($"{node.Peer.Name} drained {drainTime.TotalSeconds:0.00} s after PAUSE was sent ({sincePaused.TotalSeconds:0.00} s after it returned): the node reports 0 client sessions, none in use ({state}{(sawDraining ? "" : ", never Draining")})"), EventKind.Good);
        }
        else
        {
            events.Add(Invariant($"{node.Peer.Name} did NOT drain in {DrainTimeout.TotalSeconds:0} s: the node reports {sessions} client sessions, {inUse} in use ({state})"), EventKind.Failure);
        }

        Drain = new DrainReport(node.Peer.Name, drained, drainTime, sawDraining, state, sessions, inUse);
        events.Add(Invariant($"stop {node.Peer.Name} ({(RealNodes ? "SIGTERM" : "relay closed")}): {sessions} sessions left to cut"));
        node.FaultStarting();
        await host.StopAsync(cancellationToken).ConfigureAwait(false);

        await UntilAsync(slotStart, Max(slot * 0.5, Stopwatch.GetElapsedTime(slotStart) + TimeSpan.FromSeconds(0.5)), cancellationToken).ConfigureAwait(false);
        events.Add($"start {node.Peer.Name} (same config and datadir)");
        var starting = Stopwatch.GetTimestamp();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        events.Add(Invariant($"{node.Peer.Name} answering again after {Stopwatch.GetElapsedTime(starting).TotalSeconds:0.00} s"));
        var resumed = await host.ResumeAsync(cancellationToken).ConfigureAwait(false);
        // a restarted ProxySQL starts unpaused, and answers RESUME with "not paused"
        events.Add(Invariant($"resume {node.Peer.Name} (PROXYSQL RESUME): {resumed}{(resumed.Contains("not paused", StringComparison.Ordinal) ? " (a restarted node starts unpaused)" : "")}"));
        await UntilAsync(slotStart, slot, cancellationToken).ConfigureAwait(false);
    }

    private async Task KillAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        var before = node.Host.Status;
        events.Add(Invariant($"kill {node.Peer.Name} ({(RealNodes ? "SIGKILL" : "crash")}): its {before.Sessions} client sessions reset, connects refused"));
        node.FaultStarting();
        await node.Host.KillAsync(cancellationToken).ConfigureAwait(false);
        await UntilAsync(slotStart, slot * 0.45, cancellationToken).ConfigureAwait(false);
        events.Add($"restart {node.Peer.Name} (same config and datadir)");
        var starting = Stopwatch.GetTimestamp();
        await node.Host.StartAsync(cancellationToken).ConfigureAwait(false);
        events.Add(Invariant($"{node.Peer.Name} answering again after {Stopwatch.GetElapsedTime(starting).TotalSeconds:0.00} s"));
        await UntilAsync(slotStart, slot, cancellationToken).ConfigureAwait(false);
    }

    private async Task BlackholeAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        events.Add(Invariant($"blackhole {node.Peer.Name} (hang): connects and its {node.Host.Status.Sessions} open sessions get no answer"));
        await node.Host.SetBlackholedAsync(true, cancellationToken).ConfigureAwait(false);

        // Long enough for the connect timeout (2 s) to mark it Down while callers are served elsewhere.
        await UntilAsync(slotStart, slot * 0.7, cancellationToken).ConfigureAwait(false);
        events.Add($"heal {node.Peer.Name}: stalled sessions resume");
        await node.Host.SetBlackholedAsync(false, cancellationToken).ConfigureAwait(false);
        await UntilAsync(slotStart, slot, cancellationToken).ConfigureAwait(false);
    }

    private async Task BackendsGoneAsync(Node node, long slotStart, TimeSpan slot, CancellationToken cancellationToken)
    {
        var timeout = ((long)ConnectTimeoutServerMax.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        await node.Host.SetVariableAsync("mysql-connect_timeout_server_max", timeout, cancellationToken).ConfigureAwait(false);
        events.Add($"{node.Peer.Name}: mysql-connect_timeout_server_max lowered to {timeout} ms (default 10000)");
        events.Add($"backends gone behind {node.Peer.Name} (OFFLINE_HARD): the node accepts and answers pings, statements wait {timeout} ms, then error 9001");
        node.FaultStarting();
        await node.Host.SetBackendsOnlineAsync(false, cancellationToken).ConfigureAwait(false);
        await UntilAsync(slotStart, slot * 0.6, cancellationToken).ConfigureAwait(false);
        events.Add($"backends back behind {node.Peer.Name} (ONLINE)");
        await node.Host.SetBackendsOnlineAsync(true, cancellationToken).ConfigureAwait(false);
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
