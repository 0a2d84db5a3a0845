using System.Globalization;
using ProxySql.Testing;

namespace ProxySql.ReliabilityTests.Infrastructure;

/// <summary>
/// A seeded fault schedule over a <see cref="RelayCluster"/>: every 100–500 ms one peer is killed, paused,
/// blackholed, switched to another fault or restored. It faults a peer only while another peer has been Up for at
/// least <paramref name="stableAfter"/> (the window in which a peer counts as able to serve), so the cluster always
/// has a peer that could serve. Its choices depend only on the seed, never on timing (Up durations are counted in
/// scheduled delays, which real time can only exceed), so a seed replays the same sequence of faults.
/// </summary>
internal sealed class ChaosSchedule(RelayCluster cluster, Random random, TimeSpan stableAfter)
{
    private static readonly RelayMode[] Faults = [RelayMode.Killed, RelayMode.Paused, RelayMode.Blackholed];
    private readonly Dictionary<RelayMode, int> _faults = Faults.ToDictionary(m => m, _ => 0);
    private readonly TimeSpan[] _upSince = [.. cluster.Peers.Select(_ => -stableAfter)];
    private TimeSpan _now;

    public int Steps { get; private set; }

    public int Restores { get; private set; }

    /// <summary>Faults applied, by mode.</summary>
    public IReadOnlyDictionary<RelayMode, int> FaultsApplied => _faults;

    public int TotalFaults => _faults.Values.Sum();

    /// <summary>Runs the schedule for <paramref name="duration"/>, then restores every relay.</summary>
    public async Task RunAsync(TimeSpan duration)
    {
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            var delay = TimeSpan.FromMilliseconds(random.Next(100, 500));
            await Task.Delay(delay);
            _now += delay;
            Step();
        }

        foreach (var peer in cluster.Peers)
        {
            if (peer.Current != RelayMode.Up)
            {
                peer.Set(RelayMode.Up);
                Restores++;
            }
        }
    }

    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{Steps} steps: {TotalFaults} faults ({string.Join(", ", _faults.Select(f => $"{f.Key} {f.Value}"))}), {Restores} restores");

    private void Step()
    {
        Steps++;
        var index = random.Next(cluster.Peers.Count);
        var peer = cluster.Peers[index];
        if (peer.Current == RelayMode.Up)
        {
            var anotherCanServe = Enumerable.Range(0, cluster.Peers.Count)
                .Any(i => i != index && cluster.Peers[i].Current == RelayMode.Up && _now - _upSince[i] >= stableAfter);
            if (!anotherCanServe)
            {
                // this peer may be the only one able to serve: restore another one instead
                var faulted = Enumerable.Range(0, cluster.Peers.Count).Where(i => cluster.Peers[i].Current != RelayMode.Up).ToArray();
                if (faulted.Length > 0)
                    Restore(faulted[random.Next(faulted.Length)]);
                return;
            }

            Fault(peer, Faults[random.Next(Faults.Length)]);
        }
        else if (random.NextDouble() < 0.6)
        {
            Restore(index);
        }
        else
        {
            var others = Faults.Where(m => m != peer.Current).ToArray();
            Fault(peer, others[random.Next(others.Length)]);
        }
    }

    private void Restore(int index)
    {
        cluster.Peers[index].Set(RelayMode.Up);
        _upSince[index] = _now;
        Restores++;
    }

    private void Fault(ModeTimeline peer, RelayMode mode)
    {
        peer.Set(mode);
        _faults[mode]++;
    }
}
