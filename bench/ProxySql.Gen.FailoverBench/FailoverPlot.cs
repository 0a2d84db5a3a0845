using System.Globalization;
using ScottPlot;

namespace ProxySql.FailoverBench;

/// <summary>
/// One PNG per fault scenario (ScottPlot, rendered headless with SkiaSharp): on one time axis, successful
/// operations per second of every balancer run, then for ProxySql.Gen, MySqlConnector multi-host and the
/// django-proxysql algorithm each peer's share of the traffic, stacked, with the fault window shaded.
/// </summary>
internal static class FailoverPlot
{
    /// <summary>What the plots need on Linux, said when it is missing.</summary>
    public const string FontRequirement =
        "The plots need a TrueType font (SkiaSharp, which ScottPlot renders with, reads them from /usr/share/fonts; " +
        "it needs no fontconfig). On Debian: apt-get install -y fonts-dejavu-core. Or run with --plots none.";

    private const int Width = 1100;
    private const int PanelHeight = 270;
    private const string FontName = "DejaVu Sans";
    private static readonly TimeSpan Bin = TimeSpan.FromSeconds(0.5);
    private static readonly string[] SharedKeys = ["ours", "multihost", "django"];
    private static readonly Color[] PeerColors = [Color.FromHex("#9ecae1"), Color.FromHex("#a1d99b"), Color.FromHex("#e6550d")];
    private static readonly Dictionary<string, Color> BalancerColors = new(StringComparer.Ordinal)
    {
        ["ours"] = Color.FromHex("#1f77b4"),
        ["multihost"] = Color.FromHex("#ff7f0e"),
        ["django"] = Color.FromHex("#2ca02c"),
        ["plain"] = Color.FromHex("#7f7f7f"),
    };

    /// <summary>Throws with <see cref="FontRequirement"/> when no font the renderer can use is installed.</summary>
    public static void CheckCanRender()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] folders = ["/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".fonts"), Path.Combine(home, ".local/share/fonts")];
        bool any = folders.Where(Directory.Exists).Any(folder =>
            Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                .Any(f => f.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".otf", StringComparison.OrdinalIgnoreCase)));
        if (!any)
        {
            throw new InvalidOperationException("No TrueType font in " + string.Join(", ", folders) + ". " + FontRequirement);
        }
    }

    /// <summary>Writes the scenario's picture to <paramref name="path"/>; returns <see langword="false"/> when there is nothing to draw.</summary>
    public static bool Write(Scenario scenario, IReadOnlyList<RunResult> runs, BenchOptions options, string path)
    {
        RunResult[] shared = [.. SharedKeys.Select(k => runs.FirstOrDefault(r => r.Key == k)).OfType<RunResult>()];
        if (scenario == Scenario.Steady || runs.Count == 0)
        {
            return false;
        }

        double faultFrom = options.FaultAt.TotalSeconds, faultTo = (options.FaultAt + options.FaultFor).TotalSeconds;
        double end = options.Duration.TotalSeconds;
        var multiplot = new Multiplot();
        multiplot.AddPlots(1 + shared.Length);
        Plot[] panels = [.. Enumerable.Range(0, 1 + shared.Length).Select(multiplot.GetPlot)];

        foreach (Plot panel in panels)
        {
            var span = panel.Add.HorizontalSpan(faultFrom, faultTo);
            span.FillStyle.Color = Colors.Red.WithAlpha(0.08);
            span.LineStyle.Color = Colors.Red.WithAlpha(0.6);
            span.LineStyle.Width = 1;
        }

        Plot throughput = panels[0];
        throughput.Title(string.Create(CultureInfo.InvariantCulture,
            $"{scenario.ToString().ToLowerInvariant()}: peer 3 {scenario.Describe(options.Rig)} from {faultFrom:0.#} s to {faultTo:0.#} s; successful operations per second ({Bin.TotalSeconds:0.#} s bins, {options.Workers} workers)"));
        foreach (RunResult run in runs)
        {
            TimeSeries series = TimeSeries.Of(run, Bin);
            var line = throughput.Add.ScatterLine(Centres(series), series.OpsPerSecond);
            line.LegendText = run.Balancer;
            line.Color = BalancerColors.GetValueOrDefault(run.Key, Colors.Black);
            line.LineWidth = run.Key == "ours" ? 2.5f : 1.5f;
            if (run.Key == "plain")
            {
                line.LinePattern = LinePattern.Dashed;
            }
        }

        throughput.YLabel("ops/s");
        // head room above the lines for the legend, laid out in one row
        throughput.Axes.SetLimitsY(0, Math.Max(1, runs.Max(r => TimeSeries.Of(r, Bin).OpsPerSecond.DefaultIfEmpty(0).Max())) * 1.3);
        throughput.ShowLegend(Alignment.UpperCenter);
        throughput.Legend.Orientation = Orientation.Horizontal;

        for (int i = 0; i < shared.Length; i++)
        {
            Plot panel = panels[1 + i];
            RunResult run = shared[i];
            TimeSeries series = TimeSeries.Of(run, Bin);
            double[] xs = Centres(series);
            double[] below = new double[xs.Length];
            for (int peer = 0; peer < series.Shares.Length; peer++)
            {
                double[] above = [.. below.Select((b, k) => b + (double.IsNaN(series.Shares[peer][k]) ? 0 : series.Shares[peer][k] * 100))];
                var fill = panel.Add.FillY(Edges(xs, 0, end), Edges(below), Edges(above));
                fill.FillColor = PeerColors[peer % PeerColors.Length];
                fill.LineColor = PeerColors[peer % PeerColors.Length].Darken(0.3);
                fill.LegendText = peer == Runner.FaultedPeer ? $"peer {peer + 1} ({PeerSet.Host(peer)}, faulted)" : $"peer {peer + 1} ({PeerSet.Host(peer)})";
                below = above;
            }

            panel.Title($"{run.Balancer}: share of the traffic per peer (bytes each relay forwarded)");
            panel.YLabel("% of bytes");
            panel.Axes.SetLimitsY(0, 100);
            // the fault's start and end drawn over the areas, which hide the shaded window behind them
            foreach (double at in new[] { faultFrom, faultTo })
            {
                var edge = panel.Add.VerticalLine(at, 2, Colors.Red.Darken(0.2), LinePattern.Dashed);
                edge.LegendText = string.Empty;
            }
            if (i == 0)
            {
                panel.ShowLegend(Alignment.LowerLeft);
            }
            else
            {
                panel.HideLegend();
            }
        }

        for (int i = 0; i < panels.Length; i++)
        {
            Plot panel = panels[i];
            bool last = i == panels.Length - 1;
            panel.Axes.SetLimitsX(0, end);
            if (last)
            {
                panel.XLabel("seconds into the measured window (the fault window is shaded red)");
            }

            panel.Font.Set(FontName);
            // the same left and right margins on every panel, so the time axes line up
            panel.Layout.Fixed(new PixelPadding(70, 20, last ? 50 : 28, i == 0 ? 46 : 36));
        }

        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        multiplot.SharedAxes.ShareX(panels);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        multiplot.SavePng(path, Width, PanelHeight * panels.Length);
        return true;
    }

    /// <summary>The values with the first repeated at <paramref name="from"/> and the last at <paramref name="to"/>, so an area spans the whole axis.</summary>
    private static double[] Edges(double[] xs, double from, double to) => xs.Length == 0 ? xs : [from, .. xs, to];

    private static double[] Edges(double[] ys) => ys.Length == 0 ? ys : [ys[0], .. ys, ys[^1]];

    private static double[] Centres(TimeSeries series) => [.. series.BinStarts.Select(s => s + (Bin.TotalSeconds / 2))];
}
