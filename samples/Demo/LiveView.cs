using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ProxySql.Demo;

/// <summary>
/// The live view: per node what the node reports (for real ProxySQL, from its admin), its state in the balancer,
/// its share of traffic now and as a strip over the whole run, sessions, failed attempts and cut statements; the
/// run's totals; the latest events. Drawn with Spectre.Console's live display on a terminal; on anything else (CI
/// logs) a plain status line every second or two, one line per event, and the strip at the end. Also turns the
/// balancer's state changes into events, sampling faster than it draws.
/// </summary>
internal sealed class LiveView
{
    private const int MaxEventLines = 12;
    private const int MaxStripWidth = 64;
    private const string Levels = " ▁▂▃▄▅▆▇█";
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FramePeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ShareWindow = TimeSpan.FromSeconds(1);

    private readonly IReadOnlyList<Node> _nodes;
    private readonly DemoWorkload _workload;
    private readonly EventLog _events;
    private readonly DemoOptions _options;
    private readonly string _nodesTitle;
    private readonly TextWriter _out;
    private readonly bool _live;
    private readonly long _startedAt;
    private readonly TimeSpan _plannedDuration;
    private readonly TimeSpan _plainPeriod;
    private readonly Lock _writeGate = new();
    private readonly Queue<(long At, long[] Queries)> _samples = new();
    private readonly ProxySqlPeerState[] _states;
    private readonly ShareHistory _history;

    public LiveView(IReadOnlyList<Node> nodes, DemoWorkload workload, EventLog events, DemoOptions options, string nodesTitle, TextWriter output, bool live, long startedAt, TimeSpan plannedDuration)
    {
        _nodes = nodes;
        _workload = workload;
        _events = events;
        _options = options;
        _nodesTitle = nodesTitle;
        _out = output;
        _live = live;
        _startedAt = startedAt;
        _plannedDuration = plannedDuration;
        _plainPeriod = TimeSpan.FromSeconds(options.Short ? 1 : 2);
        _states = [.. nodes.Select(n => n.Peer.State)];
        var stripWidth = live ? Math.Clamp(AnsiConsole.Profile.Width - 24, 20, MaxStripWidth) : 60;
        var bucket = TimeSpan.FromSeconds(Math.Max(0.25, Math.Ceiling(plannedDuration.TotalSeconds * 4 / stripWidth) / 4));
        _history = new ShareHistory(nodes.Count, bucket);
        if (!live)
            events.Added += WritePlainEvent;
    }

    /// <summary>Samples and draws until <paramref name="cancellationToken"/> is cancelled, then draws a last frame.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_live)
        {
            await AnsiConsole.Live(Frame())
                .AutoClear(false)
                .Overflow(VerticalOverflow.Ellipsis)
                .Cropping(VerticalOverflowCropping.Bottom)
                .StartAsync(context => LoopAsync(() => context.UpdateTarget(Frame()), cancellationToken))
                .ConfigureAwait(false);
        }
        else
        {
            await LoopAsync(null, cancellationToken).ConfigureAwait(false);
            WriteLine("share of statements over time (one column per " + Invariant($"{_history.Bucket.TotalSeconds:0.##} s") + "; height = share, ' ' = none, '.' = the node was not up):");
            foreach (var line in PlainStrip())
                WriteLine(line);
        }
    }

    private async Task LoopAsync(Action? draw, CancellationToken cancellationToken)
    {
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
                    draw?.Invoke();
                }

                if (draw is null && now >= nextPlain)
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
        if (draw is null)
            WritePlainStatus();
        else
            draw();
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
        long[] queries = [.. _nodes.Select(n => n.Queries)];
        _samples.Enqueue((now, queries));
        while (_samples.Count > 2 && Stopwatch.GetElapsedTime(_samples.Peek().At, now) > ShareWindow + FramePeriod)
            _samples.Dequeue();
        _history.Record(Stopwatch.GetElapsedTime(_startedAt, now), queries, [.. _nodes.Select(n => n.Host.Status.Condition)]);
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

    private IRenderable Frame()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startedAt);
        var shares = Shares();
        var header = new Markup(Invariant($"[bold]ProxySql.Gen demo[/] on {Markup.Escape(_nodesTitle)} - scenario {_options.Scenario.ToString().ToLowerInvariant()}, {_options.Workers} workers, {elapsed.TotalSeconds:0.0} s of {_plannedDuration.TotalSeconds:0} s"));

        var table = new Table().Border(TableBorder.Rounded).BorderColor(Color.Grey)
            .AddColumn("peer")
            .AddColumn(new TableColumn("at the node").Footer("[dim]as it reports[/]"))
            .AddColumn(new TableColumn("sessions").RightAligned())
            .AddColumn("listener")
            .AddColumn(new TableColumn("balancer").Footer("[dim]peer State[/]"))
            .AddColumn(new TableColumn("share").RightAligned().Footer("[dim]last 1 s[/]"))
            .AddColumn(new TableColumn("queries").RightAligned())
            .AddColumn(new TableColumn("in use").RightAligned())
            .AddColumn(new TableColumn("failovers").RightAligned())
            .AddColumn(new TableColumn("cut").RightAligned())
            .AddColumn(new TableColumn("9001").RightAligned());
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            var status = node.Host.Status;
            var state = node.Peer.State;
            table.AddRow(
                new Text(node.Peer.Name),
                new Markup($"[{ConditionColor(status.Condition)}]{ConditionText(status.Condition)}[/]"),
                new Text(status.Sessions?.ToString(CultureInfo.InvariantCulture) ?? "-"),
                new Markup(status.ListenerPaused switch { true => "[yellow]paused[/]", false => "open", null => "[dim]-[/]" }),
                new Markup($"[{StateColor(state)}]{state}[/]"),
                new Text(Invariant($"{shares[i]:0%}")),
                new Text(Invariant($"{node.Queries}")),
                new Text(Invariant($"{node.Peer.ConnectionsInUse}")),
                new Text(Invariant($"{node.FailedAttempts}")),
                new Text(Invariant($"{node.Cut}")),
                new Text(Invariant($"{node.BackendFailures}")));
        }

        var strip = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().NoWrap());
        for (var i = 0; i < _nodes.Count; i++)
            strip.AddRow(new Text(_nodes[i].Peer.Name), new Markup(StripMarkup(i)));
        strip.AddRow(new Text(""), new Markup("[dim]" + Markup.Escape(TimeAxis()) + "[/]"));

        var queries = _nodes.Sum(n => n.Queries);
        var failedOpens = _workload.FailedOpens;
        var totals = new Markup(
            Invariant($"queries {queries} ({Rate(queries, elapsed):0}/s)   ") +
            (failedOpens == 0 ? "[green bold]failed opens 0[/]" : Invariant($"[red bold]failed opens {failedOpens}[/]")) +
            Invariant($"   cut short by kill {_nodes.Sum(n => n.Cut)}\n9001 (lost backends) {_nodes.Sum(n => n.BackendFailures)}   other statement errors {_nodes.Sum(n => n.OtherErrors)}   stalled >= 1 s {_nodes.Sum(n => n.Stalled)}"));
        var legend = new Markup(
            "[dim]sessions: client sessions the node holds (Client_Connections_connected for ProxySQL)   failovers: opens that\n" +
            "failed on it and moved on, unseen by callers   cut: statements cut short by a kill (the driver's error, never\n" +
            "retried)   9001: statements failed by the node's lost backends   strip: share per " +
            Invariant($"{_history.Bucket.TotalSeconds:0.##} s") + ", colour = the node's\ncondition, · = not up and no share, blank = no share[/]");

        var eventLines = Math.Clamp(AnsiConsole.Profile.Height - 24, 3, MaxEventLines);
        var events = new Rows(_events.Last(eventLines).Select(e => (IRenderable)new Markup(EventMarkup(e))));
        return new Rows(
            header,
            table,
            new Rule("[dim]share of statements over time[/]").LeftJustified().RuleStyle("grey"),
            strip,
            totals,
            legend,
            new Rule("[dim]events[/]").LeftJustified().RuleStyle("grey"),
            events);
    }

    private string StripMarkup(int node)
    {
        var text = new StringBuilder();
        for (var b = 0; b < _history.Count; b++)
        {
            var share = _history.Share(b, node);
            var glyph = share is { } s ? Levels[Math.Clamp((int)Math.Ceiling(s * (Levels.Length - 1)), 0, Levels.Length - 1)] : ' ';
            var condition = _history.Condition(b, node);
            if (glyph == ' ' && condition != NodeCondition.Up)
                glyph = '·';
            text.Append('[').Append(ConditionColor(condition)).Append(']').Append(glyph).Append("[/]");
        }

        return text.ToString();
    }

    private string TimeAxis()
    {
        var width = (int)Math.Ceiling(_plannedDuration / _history.Bucket);
        var axis = new StringBuilder(new string(' ', width + 8));
        for (var column = 0; column < width; column += 10)
        {
            var label = Invariant($"|{(column * _history.Bucket).TotalSeconds:0} s");
            for (var k = 0; k < label.Length && column + k < axis.Length; k++)
                axis[column + k] = label[k];
        }

        return axis.ToString().TrimEnd();
    }

    private IEnumerable<string> PlainStrip()
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            var text = new StringBuilder(Invariant($"  {_nodes[i].Peer.Name,-8}"));
            for (var b = 0; b < _history.Count; b++)
            {
                var share = _history.Share(b, i);
                var up = _history.Condition(b, i) == NodeCondition.Up;
                text.Append(share is { } s and > 0 ? Levels[Math.Clamp((int)Math.Ceiling(s * (Levels.Length - 1)), 1, Levels.Length - 1)] : up ? ' ' : '.');
            }

            yield return text.ToString();
        }

        yield return "          " + TimeAxis();
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
            var status = node.Host.Status;
            var sessions = status.Sessions?.ToString(CultureInfo.InvariantCulture) ?? "-";
            text.Append(CultureInfo.InvariantCulture, $" {node.Peer.Name} {ConditionText(status.Condition)}/{node.Peer.State} {shares[i]:0%} s={sessions} u={node.Peer.ConnectionsInUse} |");
        }

        var queries = _nodes.Sum(n => n.Queries);
        text.Append(CultureInfo.InvariantCulture, $" {queries} queries ({Rate(queries, elapsed):0}/s), failed opens {_workload.FailedOpens}, cut {_nodes.Sum(n => n.Cut)}, 9001 {_nodes.Sum(n => n.BackendFailures)}");
        WriteLine(text.ToString());
    }

    private void WritePlainEvent(DemoEvent added) => WriteLine(Invariant($"{added.At.TotalSeconds,6:0.0} s {Marker(added.Kind)} {added.Text}"));

    private static string EventMarkup(DemoEvent e)
    {
        var text = Markup.Escape(Shorten(Invariant($"{e.At.TotalSeconds,6:0.0} s {Marker(e.Kind)} {e.Text}"), Math.Max(20, AnsiConsole.Profile.Width - 1)));
        return e.Kind switch
        {
            EventKind.Step => "[bold]" + text + "[/]",
            EventKind.Good => "[green]" + text + "[/]",
            EventKind.Failure => "[red bold]" + text + "[/]",
            _ => text,
        };
    }

    private static string Marker(EventKind kind) => kind switch
    {
        EventKind.Step => ">>",
        EventKind.Balancer => "  ",
        EventKind.Good => "ok",
        _ => "!!",
    };

    private static double Rate(long count, TimeSpan elapsed) => elapsed > TimeSpan.Zero ? count / elapsed.TotalSeconds : 0;

    private static string ConditionText(NodeCondition condition) => condition switch
    {
        NodeCondition.NoBackends => "no backends",
        _ => condition.ToString().ToLowerInvariant(),
    };

    private static string ConditionColor(NodeCondition condition) => condition switch
    {
        NodeCondition.Up => "green",
        NodeCondition.Paused => "yellow",
        NodeCondition.Starting => "blue",
        NodeCondition.Stopped or NodeCondition.Killed => "red",
        _ => "magenta",
    };

    private static string StateColor(ProxySqlPeerState state) => state switch
    {
        ProxySqlPeerState.Up => "green",
        ProxySqlPeerState.Draining => "yellow",
        ProxySqlPeerState.Down => "red",
        _ => "grey",
    };

    private static string Shorten(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, Math.Max(0, length - 3)), "...");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void WriteLine(string text)
    {
        lock (_writeGate)
        {
            _out.WriteLine(text);
            _out.Flush();
        }
    }
}
