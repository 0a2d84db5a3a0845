using System.Globalization;

namespace ProxySql.FailoverBench;

/// <summary>The command line: which scenarios and balancers, for how long, with how many workers.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/ProxySql.Gen.FailoverBench -- [options]
          --rig       relay|proxysql: what stands behind the three peers       default: relay
                      proxysql = three real ProxySQL 2.7.2 nodes ($PROXYSQL_BIN, else ../shared/proxysql/proxysql)
          --scenario  steady|pause|kill|blackhole|backendloss|slow|slowstart|all (comma list allowed)
                      backendloss and slow need --rig proxysql; all = every scenario the rig can do
          --balancers ours,ours-noslow,multihost,plain,django|all             default: all
                      (all = ours,multihost,plain,django; ours-noslow = ours with SlowStartWindow 0)
          --rounds    interleaved rounds per scenario: every balancer once per round, the order
                      reversed every other round (1..20)                       default: 1
          --duration  seconds measured per balancer and scenario (5..600)    default: 50
          --fault-at  seconds into the measured window when the fault starts  default: duration / 5
          --fault-for seconds the fault lasts                                 default: duration / 5
          --warmup    seconds of load before each measured window (0..60)      default: 3
          --prime     seconds of an unrecorded steady run per balancer before the first
                      round, so that no balancer pays the process's JIT and pool growth (0..60)  default: 0
          --workers   concurrent workers (1..256)                            default: 16
          --pipelining off|on|driver-default: MySqlConnector's Pipelining for every balancer  default: off
                      off = what transactions through ProxySQL 2.7 need, and ProxySql.Gen's default;
                      driver-default = each balancer as written with no option (ours off, the others on)
          --output    also write the markdown report to this file
          --plots     folder for one PNG per fault scenario, or none          default: failover-plots
        A warm-up precedes each measured window. The fault hits the third peer (127.0.0.4);
        the plain baseline uses the first (127.0.0.2). With several rounds the summary gives medians.
        """;

    private static readonly string[] AllBalancers = ["ours", "multihost", "plain", "django"];
    private static readonly string[] KnownBalancers = ["ours", "ours-noslow", "multihost", "plain", "django"];

    public RigKind Rig { get; init; } = RigKind.Relay;

    public IReadOnlyList<Scenario> Scenarios { get; init; } = Enum.GetValues<Scenario>();

    public int Rounds { get; init; } = 1;

    public IReadOnlyList<string> Balancers { get; init; } = AllBalancers;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(50);

    public TimeSpan FaultAt { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FaultFor { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>An unrecorded steady run per balancer before the first round (zero: none).</summary>
    public TimeSpan Prime { get; init; } = TimeSpan.Zero;

    public int Workers { get; init; } = 16;

    /// <summary>
    /// The <c>Pipelining</c> option added to every balancer's shared connection string, or <see langword="null"/> for none
    /// (each as written without it: ProxySql.Gen unpipelined, the connection-string balancers pipelined).
    /// </summary>
    public bool? Pipelining { get; init; } = false;

    /// <summary>How <see cref="Pipelining"/> reads on the command line and in the report.</summary>
    public string PipeliningName => Pipelining switch { null => "driver-default", true => "on", false => "off" };

    public string? Output { get; init; }

    /// <summary>Where the per-scenario PNGs go (<see cref="FailoverPlot"/>), or <see langword="null"/> for none.</summary>
    public string? PlotFolder { get; init; } = "failover-plots";

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        double? faultAt = null, faultFor = null;
        string? scenarios = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--scenario":
                    scenarios = Value();
                    break;
                case "--rig":
                    string rig = Value();
                    options = options with
                    {
                        Rig = Enum.TryParse(rig, ignoreCase: true, out RigKind kind) && Enum.IsDefined(kind)
                            ? kind
                            : throw new ArgumentException($"--rig: unknown rig '{rig}' (relay, proxysql)."),
                    };
                    break;
                case "--rounds":
                    options = options with { Rounds = (int)Seconds(name, Value(), 1, 20) };
                    break;
                case "--balancers":
                    options = options with { Balancers = ParseBalancers(Value()) };
                    break;
                case "--duration":
                    options = options with { Duration = TimeSpan.FromSeconds(Seconds(name, Value(), 5, 600)) };
                    break;
                case "--fault-at":
                    faultAt = Seconds(name, Value(), 0, 600);
                    break;
                case "--fault-for":
                    faultFor = Seconds(name, Value(), 0.5, 600);
                    break;
                case "--warmup":
                    options = options with { WarmUp = TimeSpan.FromSeconds(Seconds(name, Value(), 0, 60)) };
                    break;
                case "--prime":
                    options = options with { Prime = TimeSpan.FromSeconds(Seconds(name, Value(), 0, 60)) };
                    break;
                case "--workers":
                    options = options with { Workers = (int)Seconds(name, Value(), 1, 256) };
                    break;
                case "--pipelining":
                    string pipelining = Value();
                    options = options with
                    {
                        Pipelining = pipelining.ToLowerInvariant() switch
                        {
                            "off" => false,
                            "on" => true,
                            "driver-default" => null,
                            _ => throw new ArgumentException($"--pipelining: '{pipelining}' is not off, on or driver-default."),
                        },
                    };
                    break;
                case "--output":
                    options = options with { Output = Value() };
                    break;
                case "--plots":
                    string plots = Value();
                    options = options with { PlotFolder = string.Equals(plots, "none", StringComparison.OrdinalIgnoreCase) ? null : plots };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        options = options with { Scenarios = ParseScenarios(scenarios ?? "all", options.Rig) };
        double duration = options.Duration.TotalSeconds;
        options = options with
        {
            FaultAt = TimeSpan.FromSeconds(faultAt ?? duration / 5),
            FaultFor = TimeSpan.FromSeconds(faultFor ?? duration / 5),
        };
        if (options.FaultAt + options.FaultFor >= options.Duration)
        {
            throw new ArgumentException($"--fault-at + --fault-for ({(options.FaultAt + options.FaultFor).TotalSeconds} s) must end before --duration ({duration} s).");
        }

        return options;
    }

    private static double Seconds(string name, string text, double min, double max) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'.");

    private static Scenario[] ParseScenarios(string text, RigKind rig) =>
        string.Equals(text, "all", StringComparison.OrdinalIgnoreCase)
            ? [.. Enum.GetValues<Scenario>().Where(s => rig == RigKind.ProxySql || !s.NeedsProxySql())]
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
                Enum.TryParse(s, ignoreCase: true, out Scenario scenario) && Enum.IsDefined(scenario)
                    ? scenario.NeedsProxySql() && rig != RigKind.ProxySql
                        ? throw new ArgumentException($"--scenario: '{s}' needs real ProxySQL nodes: add --rig proxysql.")
                        : scenario
                    : throw new ArgumentException($"--scenario: unknown scenario '{s}' (steady, pause, kill, blackhole, backendloss, slow, slowstart, all)."))];

    private static string[] ParseBalancers(string text) =>
        string.Equals(text, "all", StringComparison.OrdinalIgnoreCase)
            ? AllBalancers
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(b =>
                KnownBalancers.Contains(b, StringComparer.OrdinalIgnoreCase)
                    ? b.ToLowerInvariant()
                    : throw new ArgumentException($"--balancers: unknown balancer '{b}' (ours, ours-noslow, multihost, plain, django, all)."))];
}
