using System.Globalization;
using System.Text;

namespace ProxySql.Demo;

/// <summary>The end of the run: what happened, and whether it passed (exit code 0) or not (1).</summary>
internal sealed class Summary(IReadOnlyList<Node> nodes, DemoWorkload workload, DrainReport? drain, DemoOptions options, TimeSpan runTime)
{
    public int ExitCode => workload.FailedOpens == 0 && drain is not { Drained: false } && nodes.Sum(n => n.OtherErrors) == 0 ? 0 : 1;

    public string Render(bool workersStopped)
    {
        var queries = nodes.Sum(n => n.Queries);
        var failedOpens = workload.FailedOpens;
        var rate = runTime > TimeSpan.Zero ? queries / runTime.TotalSeconds : 0;
        var shares = string.Join(", ", nodes.Select(n => Invariant($"{n.Peer.Name} {(queries > 0 ? (double)n.Queries / queries : 0):0%}")));
        var absorbed = string.Join(", ", nodes.Select(n => Invariant($"{n.Peer.Name} {n.FailedAttempts}")));
        var text = new StringBuilder();

        // Kept within 80 columns.
        Line(Invariant($"Summary ({runTime.TotalSeconds:0.0} s, {options.Workers} workers, scenario {options.Scenario.ToString().ToLowerInvariant()})"));
        Line(Invariant($"  statements completed   {queries} ({rate:0}/s): {shares}"));
        Line(failedOpens == 0
            ? "  failed opens           0  every open was served, whatever the nodes did"
            : Invariant($"  failed opens           {failedOpens}  last: {workload.LastOpenError}"));
        Line(Invariant($"  cut short by the kill  {nodes.Sum(n => n.Cut)}  in flight on the killed node: driver error, not retried"));
        if (nodes.Any(n => n.Host.CanDropBackends) && options.Scenario is ScenarioKind.All or ScenarioKind.Backends)
        {
            Line(Invariant($"  failed with 9001       {nodes.Sum(n => n.BackendFailures)}  on the node without backends: it accepted and answered pings,"));
            Line("                         each statement waited mysql-connect_timeout_server_max, then failed");
        }

        Line(Invariant($"  other statement errors {nodes.Sum(n => n.OtherErrors)}"));
        foreach (var node in nodes.Where(n => n.LastOtherError is not null))
            Line(Invariant($"    last on {node.Peer.Name}: {node.LastOtherError}"));
        if (options.Scenario is ScenarioKind.All or ScenarioKind.Blackhole or ScenarioKind.Backends)
            Line(Invariant($"  stalled >= 1 s         {nodes.Sum(n => n.Stalled)}  held up by the {(nodes.Any(n => n.Host.CanBlackhole) ? "blackhole" : "lost backends")}, completed when it healed"));
        Line(Invariant($"  failovers absorbed     {absorbed}"));
        if (drain is not null)
        {
            Line(drain.Drained
                ? Invariant($"  rolling maintenance    {drain.Peer} drained {drain.DrainTime.TotalSeconds:0.00} s after the pause ({drain.StateWhenDone}{(drain.SawDraining ? "" : ", never Draining")}),")
                : Invariant($"  rolling maintenance    {drain.Peer} did NOT drain in {drain.DrainTime.TotalSeconds:0.0} s ({drain.StateWhenDone}):"));
            Line(drain.Drained
                ? "                         then stopped with no session to cut"
                : Invariant($"                         {drain.SessionsLeft} sessions still open at the node, {drain.InUseLeft} in use"));
        }

        if (!workersStopped)
            Line("  workers                did not all stop within 40 s");
        return text.ToString().TrimEnd();

        void Line(string line) => text.AppendLine(line);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
