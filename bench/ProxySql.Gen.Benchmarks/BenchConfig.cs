using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ProxySql.Benchmarks;

/// <summary>
/// One short job, in process, with allocation counts. Sized for a 2-core machine: 3 warm-up and 10 measured
/// iterations. In process because the repository's strict build settings (central package versions, warnings as
/// errors) also apply to the project BenchmarkDotNet would otherwise generate and build for each benchmark.
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create(bool withDefaultJob)
    {
        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default).AddColumn(StatisticColumn.Median);
        return withDefaultJob
            ? config.AddJob(Job.Default
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance))
            : config;
    }
}
