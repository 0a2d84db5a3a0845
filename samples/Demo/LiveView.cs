using System.Diagnostics;
using System.Globalization;
using System.Text;
using ProxySql.Testing;

namespace ProxySql.Demo;

/// <summary>
/// The live terminal view: per node its state at the node and in the balancer, share of traffic, sessions,
/// failed attempts and cut statements; the run's totals; the latest events. Refreshed in place with ANSI escapes
/// on a terminal; on anything else (CI logs) a plain status line every second or two and one line per event.
/// Also turns the balancer's state changes into events, sampling faster than it draws.
/// </summary>
internal sealed class LiveView
{
    private const int MaxEventLines = 14;
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FramePeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ShareWindow = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Node> _nodes;
    private readonly Workload _workload;
    private readonly EventLog _events;
    private readonly DemoOptions _options;
    private readonly TextWriter _out;
    private readonly bool _ansi;
    private readonly bool _color;
    private readonly long _startedAt;
    private readonly TimeSpan _plannedDuration;
    private readonly TimeSpan _plainPeriod;
    private readonly Lock _writeGate = new();
    private readonly Queue<(long At, long[] Queries)> _samples = new();
    private readonly ProxySqlPeerState[] _states;
    private int _linesDrawn;

    public LiveView(IReadOnlyList<Node> nodes, Workload workload, EventLog events, DemoOptions options, TextWriter output, bool ansi, long startedAt, TimeSpan plannedDuration)
    {
        _nodes = nodes;
        _workload = workload;
        _events = events;
        _options = options;
        _out = output;
        _ansi = ansi;
        _color = ansi && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";
        _startedAt = startedAt;
        _plannedDuration = plannedDuration;
        _plainPeriod = TimeSpan.FromSeconds(options.Short ? 1 : 2);
        _states = [.. nodes.Select(n => n.Peer.State)];
        if (!ansi)
            events.Added += WritePlainEvent;
    }

    /// <summary>Samples and draws until <paramref name="cancellationToken"/> is cancelled, then draws a last frame.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_ansi)
            Write("\e[?25l"); // hide the cursor while redrawing
        var nextFrame = Stopwatch.GetTimestamp();
        var nextPlain = Stopwatch.GetTimestamp() + (long)(_plainPeriod.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(SamplePeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                WatchStates();
                var now = Stopwatch.GetTimestamp();
                if (now >= nextFrame)
                {
                    nextFrame = now + (long)(FramePeriod.TotalSeconds * Stopwatch.Frequency);
                    Sample(now);
                    if (_ansi)
                        Draw();
                }

                if (!_ansi && now >= nextPlain)
                {
                    nextPlain += (long)(_plainPeriod.TotalSeconds * Stopwatch.Frequency);
                    WritePlainStatus();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the run is over
        }

        WatchStates();
        Sample(Stopwatch.GetTimestamp());
        if (_ansi)
        {
            Draw();
            Write("\e[?25h");
        }
        else
        {
            WritePlainStatus();
        }
    }

    private void WatchStates()
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            var peer = _nodes[i].Peer;
            var state = peer.State;
            if (state == _states[i])
                continue;
            var why = state is ProxySqlPeerState.Down or ProxySqlPeerState.Draining && peer.LastError is { } error ? " (" + Shorten(error, 90) + ")" : "";
            _events.Add($"balancer: {peer.Name} {_states[i]} -> {state}{why}", EventKind.Balancer);
            _states[i] = state;
        }
    }

    private void Sample(long now)
    {
        _samples.Enqueue((now, [.. _nodes.Select(n => n.Queries)]));
        while (_samples.Count > 2 && Stopwatch.GetElapsedTime(_samples.Peek().At, now) > ShareWindow + FramePeriod)
            _samples.Dequeue();
    }

    /// <summary>Each node's share of the statements completed over about the last second.</summary>
    private double[] Shares()
    {
        var shares = new double[_nodes.Count];
        if (_samples.Count < 2)
            return shares;
        var first = _samples.Peek().Queries;
        var last = _samples.Last().Queries;
        long total = 0;
        for (var i = 0; i < shares.Length; i++)
            total += last[i] - first[i];
        for (var i = 0; i < shares.Length && total > 0; i++)
            shares[i] = (double)(last[i] - first[i]) / total;
        return shares;
    }

    private void Draw()
    {
        var (width, height) = TerminalSize();
        var eventLines = Math.Clamp(height - 17, 3, MaxEventLines);
        var elapsed = Stopwatch.GetElapsedTime(_startedAt);
        var shares = Shares();
        var text = new StringBuilder(4096);
        if (_linesDrawn > 0)
            text.Append(CultureInfo.InvariantCulture, $"\e[{_linesDrawn}F");
        var lines = 0;
        void Line(string line)
        {
            text.Append(line).Append("\e[K\n");
            lines++;
        }

        // Laid out for 80 columns; event lines are clipped to the terminal's width so that nothing wraps.
        Line(Bold("ProxySql.Gen demo") + Invariant($" - scenario {_options.Scenario.ToString().ToLowerInvariant()}, {_options.Workers} workers, {elapsed.TotalSeconds:0.0} s of {_plannedDuration.TotalSeconds:0} s"));
        Line("");
        Line(Dim(Invariant($"  {"peer",-8}{"node",-11}{"balancer",-10}{"share",5}{"queries",9}{"in use",8}{"sessions",10}{"failovers",11}{"cut",5}")));
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            var mode = node.Relay.Mode;
            var state = node.Peer.State;
            Line(Invariant($"  {node.Peer.Name,-8}") +
                Paint(Invariant($"{mode,-11}"), ModeColor(mode)) +
                Paint(Invariant($"{state,-10}"), StateColor(state)) +
                Invariant($"{shares[i],5:0%}{node.Queries,9}{node.Peer.ConnectionsInUse,8}{node.Relay.OpenSessions,10}{node.FailedAttempts,11}{node.Cut,5}"));
        }

        Line("");
        var queries = _nodes.Sum(n => n.Queries);
        var failedOpens = _workload.FailedOpens;
        Line(Invariant($"  queries {queries} ({Rate(queries, elapsed):0}/s)   ") +
            Paint(Invariant($"failed opens {failedOpens}"), failedOpens == 0 ? "32;1" : "31;1") +
            Invariant($"   cut short by kill {_nodes.Sum(n => n.Cut)}"));
        Line(Invariant($"  other statement errors {_nodes.Sum(n => n.OtherErrors)}   stalled >= 1 s by the blackhole {_nodes.Sum(n => n.Stalled)}"));
        Line(Dim("  node: what the stand-in does   balancer: the peer's State   sessions: open at"));
        Line(Dim("  the node   failovers: opens that failed on it and moved on, unseen by callers"));
        Line(Dim("  cut: statements cut short by a kill (the driver's error, never retried)"));
        Line("");
        var recent = _events.Last(eventLines);
        for (var i = 0; i < eventLines; i++)
            Line(i < recent.Length ? FormatEvent(recent[i], width - 1) : "");
        text.Append("\e[J");
        _linesDrawn = lines;
        Write(text.ToString());
    }

    private static (int Width, int Height) TerminalSize()
    {
        try
        {
            var (width, height) = (Console.WindowWidth, Console.WindowHeight);
            return (width > 20 ? width : 80, height > 10 ? height : 24);
        }
        catch (IOException)
        {
            return (80, 24);
        }
    }

    private void WritePlainStatus()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startedAt);
        var shares = Shares();
        var text = new StringBuilder(256);
        text.Append(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds,6:0.0} s |");
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            text.Append(CultureInfo.InvariantCulture, $" {node.Peer.Name} {node.Relay.Mode}/{node.Peer.State} {shares[i]:0%} s={node.Relay.OpenSessions} u={node.Peer.ConnectionsInUse} |");
        }

        var queries = _nodes.Sum(n => n.Queries);
        text.Append(CultureInfo.InvariantCulture, $" {queries} queries ({Rate(queries, elapsed):0}/s), failed opens {_workload.FailedOpens}, cut {_nodes.Sum(n => n.Cut)}");
        WriteLine(text.ToString());
    }

    private void WritePlainEvent(DemoEvent added) => WriteLine(FormatEvent(added, int.MaxValue));

    private string FormatEvent(DemoEvent e, int width)
    {
        var marker = e.Kind switch
        {
            EventKind.Step => ">>",
            EventKind.Balancer => "  ",
            EventKind.Good => "ok",
            _ => "!!",
        };
        var text = Shorten(Invariant($"{e.At.TotalSeconds,6:0.0} s {marker} {e.Text}"), width);
        return e.Kind switch
        {
            EventKind.Step => Bold(text),
            EventKind.Good => Paint(text, "32"),
            EventKind.Failure => Paint(text, "31;1"),
            _ => text,
        };
    }

    private static double Rate(long count, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? count / elapsed.TotalSeconds : 0;

    private static string ModeColor(RelayMode mode) => mode switch
    {
        RelayMode.Up => "32",
        RelayMode.Paused => "33",
        RelayMode.Killed => "31",
        _ => "35",
    };

    private static string StateColor(ProxySqlPeerState state) => state switch
    {
        ProxySqlPeerState.Up => "32",
        ProxySqlPeerState.Draining => "33",
        ProxySqlPeerState.Down => "31",
        _ => "90",
    };

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, Math.Max(0, length - 3)), "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private string Paint(string text, string sgr) => _color ? $"\e[{sgr}m{text}\e[0m" : text;

    private string Bold(string text) => Paint(text, "1");

    private string Dim(string text) => Paint(text, "2");

    private void Write(string text)
    {
        lock (_writeGate)
        {
            _out.Write(text);
            _out.Flush();
        }
    }

    private void WriteLine(string text)
    {
        lock (_writeGate)
        {
            _out.WriteLine(text);
            _out.Flush();
        }
    }
}
