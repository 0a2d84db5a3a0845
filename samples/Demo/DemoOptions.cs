using System.Globalization;

namespace ProxySql.Demo;

/// <summary>Which faults the scripted scenario injects.</summary>
internal enum ScenarioKind
{
    /// <summary>Rolling maintenance of Edge1, a kill of Edge2, then a blackhole (relays) or lost backends (ProxySQL) of the third node.</summary>
    All,

    /// <summary>Rolling maintenance only: pause, wait until drained, stop, restore.</summary>
    Pause,

    /// <summary>A crash only: kill, then restart.</summary>
    Kill,

    /// <summary>A hang only: blackhole, then heal (relays only).</summary>
    Blackhole,

    /// <summary>The node's MySQL servers gone (<c>OFFLINE_HARD</c>), then back (real ProxySQL only).</summary>
    Backends,
}

/// <summary>The command line of the demo.</summary>
internal sealed record DemoOptions
{
    public const string Usage = """
        ProxySql.Gen demo: three ProxySQL nodes in front of one real MariaDB - real ProxySQL processes when the
        binary is found (PROXYSQL_BIN, default ../shared/proxysql/proxysql), fault-injecting TCP relays standing
        in for them otherwise - a workload of concurrent workers (open -> insert + 20 ms query -> close) balanced
        by the generated DemoDatabases class, and a scripted scenario:

          pause      rolling maintenance of Edge1: PROXYSQL PAUSE (new connects refused, open sessions keep
                     working), wait until the node reports no client session (Client_Connections_connected
                     = 0) and the app has none in use there, stop it, start it, PROXYSQL RESUME
          kill       kill Edge2 (SIGKILL, a crash: open sessions reset), then restart it
          backends   real ProxySQL only: the MySQL servers behind the third node, proxysql-c, gone
                     (OFFLINE_HARD; the node still accepts and answers pings, every statement waits
                     mysql-connect_timeout_server_max, lowered to 1.5 s, then fails with 9001), then back
          blackhole  relays only: blackhole proxysql-c (a hang: connects accepted but nothing answers), then
                     heal it
          all        pause, kill, then backends (real ProxySQL) or blackhole (relays) (default)

        The live view shows per node what the node itself reports (for real ProxySQL from its admin
        interface: Client_Connections_connected, whether its listener is paused), the peer's state in the
        balancer, its share of the traffic over the last second and over the whole run, the connections in
        use, the attempts that failed and were absorbed by failover, and the statements cut short; and for the
        whole run the failed opens (the point: zero). It refreshes in place on a terminal and prints plain
        lines otherwise (CI logs).

        Usage: Demo [options]        (./demo.sh [options] publishes it natively and runs it)

        Options:
          --scenario <all|pause|kill|backends|blackhole>  which faults to inject (default: all)
          --nodes <auto|proxysql|relay>          what plays the nodes (default: auto = real ProxySQL
                                                 when the binary is found, else relays)
          --duration <seconds>                   length of the run (default: 30 for all, 12 for one
                                                 scenario; 14 and 5 with --short); stretched when too short
                                                 for the scenario's steps
          --workers <n>                          concurrent workers, 1 to 256 (default: 16; 8 with --short)
          --short                                CI mode: a short run with fewer workers
          --plain                                plain lines even on a terminal
          --help                                 this text

        Exit code: 0 when no open failed and the paused node drained; 1 when an open failed, the paused node
        did not drain or a statement failed other than by the kill or the lost backends; 2 for a bad command
        line; 3 when MariaDB or ProxySQL could not be started.
        """;

    public ScenarioKind Scenario { get; init; } = ScenarioKind.All;

    public TimeSpan? RequestedDuration { get; init; }

    public int? RequestedWorkers { get; init; }

    public NodeChoice Nodes { get; init; } = NodeChoice.Auto;

    public bool Short { get; init; }

    public bool Plain { get; init; }

    public bool Help { get; init; }

    public int Workers => RequestedWorkers ?? (Short ? 8 : 16);

    public TimeSpan Duration => RequestedDuration ?? TimeSpan.FromSeconds((Short, Scenario) switch
    {
        (false, ScenarioKind.All) => 30,
        (false, _) => 12,
        (true, ScenarioKind.All) => 14,
        (true, _) => 5,
    });

    /// <summary>Parses the command line; <paramref name="error"/> says what is wrong when it returns <see langword="null"/>.</summary>
    public static DemoOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new DemoOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inlineValue) = Split(args[i]);
            switch (name)
            {
                case "--help" or "-h" or "-?":
                    options = options with { Help = true };
                    break;
                case "--short":
                    options = options with { Short = true };
                    break;
                case "--plain":
                    options = options with { Plain = true };
                    break;
                case "--scenario":
                    {
                        var value = inlineValue ?? Next(args, ref i);
                        ScenarioKind? scenario = value?.ToUpperInvariant() switch
                        {
                            "ALL" => ScenarioKind.All,
                            "PAUSE" => ScenarioKind.Pause,
                            "KILL" => ScenarioKind.Kill,
                            "BLACKHOLE" => ScenarioKind.Blackhole,
                            "BACKENDS" => ScenarioKind.Backends,
                            _ => null,
                        };
                        if (scenario is null)
                        {
                            error = $"--scenario: '{value}' is not a scenario; use all, pause, kill, backends or blackhole.";
                            return null;
                        }

                        options = options with { Scenario = scenario.Value };
                        break;
                    }

                case "--nodes":
                    {
                        var value = inlineValue ?? Next(args, ref i);
                        NodeChoice? nodes = value?.ToUpperInvariant() switch
                        {
                            "AUTO" => NodeChoice.Auto,
                            "PROXYSQL" => NodeChoice.ProxySql,
                            "RELAY" or "RELAYS" => NodeChoice.Relay,
                            _ => null,
                        };
                        if (nodes is null)
                        {
                            error = $"--nodes: '{value}' is not a choice; use auto, proxysql or relay.";
                            return null;
                        }

                        options = options with { Nodes = nodes.Value };
                        break;
                    }

                case "--duration":
                    {
                        var value = inlineValue ?? Next(args, ref i);
                        if (!TryParseDuration(value, out var duration))
                        {
                            error = $"--duration: '{value}' is not a duration; give seconds (e.g. 30 or 7.5) or a TimeSpan (00:00:30), between 1 s and 1 h.";
                            return null;
                        }

                        options = options with { RequestedDuration = duration };
                        break;
                    }

                case "--workers":
                    {
                        var value = inlineValue ?? Next(args, ref i);
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var workers) || workers is < 1 or > 256)
                        {
                            error = $"--workers: '{value}' is not a whole number from 1 to 256.";
                            return null;
                        }

                        options = options with { RequestedWorkers = workers };
                        break;
                    }

                default:
                    error = $"unknown option '{args[i]}'. Run with --help for the options.";
                    return null;
            }
        }

        return options;
    }

    private static (string Name, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string? Next(IReadOnlyList<string> args, ref int i) => i + 1 < args.Count ? args[++i] : null;

    private static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null)
            return false;
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            duration = TimeSpan.FromSeconds(seconds);
        else if (!TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration))
            return false;
        return duration >= TimeSpan.FromSeconds(1) && duration <= TimeSpan.FromHours(1);
    }
}
