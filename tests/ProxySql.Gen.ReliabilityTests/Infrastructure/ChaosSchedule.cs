using System.Globalization;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// A seeded fault schedule over peers (relays or real ProxySQL nodes): every 100–500 ms one peer is faulted, switched
/// to another fault or restored. It faults a peer only while another peer has been Up for at least
/// <paramref name="stableAfter"/> (the window in which a peer counts as able to serve), so the cluster always has a
/// peer that could serve. Its choices depend only on the seed, never on timing (Up durations are counted in scheduled
/// delays, which real time can only exceed), so a seed replays the same sequence of faults.
/// </summary>
internal sealed class ChaosSchedule<TMode>(IReadOnlyList<IFaultTimeline<TMode>> peers, TMode up, TMode[] faults, Random random, TimeSpan stableAfter)
    where TMode : struct, Enum
{
    private readonly Dictionary<TMode, int> _faults = faults.ToDictionary(m => m, _ => 0);
    private readonly TimeSpan[] _upSince = [.. peers.Select(_ => -stableAfter)];
    private TimeSpan _now;

    public int Steps { get; private set; }

    public int Restores { get; private set; }

    /// <summary>Faults applied, by mode.</summary>
    public IReadOnlyDictionary<TMode, int> FaultsApplied => _faults;

    public int TotalFaults => _faults.Values.Sum();

    /// <summary>Runs the schedule for <paramref name="duration"/>, then restores every peer.</summary>
    public async Task RunAsync(TimeSpan duration)
    {
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            var delay = TimeSpan.FromMilliseconds(random.Next(100, 500));
            await Task.Delay(delay);
            _now += delay;
            await StepAsync();
        }

        foreach (var peer in peers)
        {
            if (!IsUp(peer))
            {
                await peer.SetAsync(up);
                Restores++;
            }
        }
    }

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Steps} steps: {TotalFaults} faults ({string.Join(", ", _faults.Select(f => $"{f.Key} {f.Value}"))}), {Restores} restores");

    private bool IsUp(IFaultTimeline<TMode> peer) => EqualityComparer<TMode>.Default.Equals(peer.Current, up);

    private async Task StepAsync()
    {
        Steps++;
        var index = random.Next(peers.Count);
        var peer = peers[index];
        if (IsUp(peer))
        {
            var anotherCanServe = Enumerable.Range(0, peers.Count)
                .Any(i => i != index && IsUp(peers[i]) && _now - _upSince[i] >= stableAfter);
            if (!anotherCanServe)
            {
                // this peer may be the only one able to serve: restore another one instead
                var faulted = Enumerable.Range(0, peers.Count).Where(i => !IsUp(peers[i])).ToArray();
                if (faulted.Length > 0)
                    await RestoreAsync(faulted[random.Next(faulted.Length)]);
                return;
            }

            await FaultAsync(peer, faults[random.Next(faults.Length)]);
        }
        else if (random.NextDouble() < 0.6)
        {
            await RestoreAsync(index);
        }
        else
        {
            var others = faults.Where(m => !EqualityComparer<TMode>.Default.Equals(m, peer.Current)).ToArray();
            await FaultAsync(peer, others[random.Next(others.Length)]);
        }
    }

    private async Task RestoreAsync(int index)
    {
        await peers[index].SetAsync(up);
        _upSince[index] = _now;
        Restores++;
    }

    private async Task FaultAsync(IFaultTimeline<TMode> peer, TMode mode)
    {
        await peer.SetAsync(mode);
        _faults[mode]++;
    }
}
