using BenchmarkDotNet.Running;
using ProxySql.Benchmarks;

// `--steady`: the failover benchmark's steady scenario with the balancers interleaved in one process (see InterleavedSteady).
if (args.Contains("--steady"))
{
    await InterleavedSteady.RunAsync(args).ConfigureAwait(false);
    return;
}

// `--interleaved`: the open comparison in alternating rounds, robust to drifting load (see InterleavedOpen).
if (args.Contains("--interleaved"))
{
    await InterleavedOpen.RunAsync().ConfigureAwait(false);
    return;
}

// Runs every benchmark unless a --filter is given (BenchmarkDotNet would otherwise ask interactively).
// Everything else is BenchmarkDotNet's own command line. A job given there (`--job short` for a quick run)
// replaces the default job of BenchConfig and still runs in process.
bool jobGiven = args.Contains("--job") || args.Contains("-j");
string[] arguments = args.Contains("--filter") || args.Contains("-f") ? args : [.. args, "--filter", "*"];
if (jobGiven && !arguments.Contains("--inProcess") && !arguments.Contains("-i"))
{
    arguments = [.. arguments, "--inProcess"];
}

BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(arguments, BenchConfig.Create(withDefaultJob: !jobGiven));
