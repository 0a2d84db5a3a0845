using BenchmarkDotNet.Attributes;

namespace ProxySql.Benchmarks;

/// <summary>
/// The open path's selection on two threads at once over one balancer (shared round-robin counter, shared peer
/// state). Each invocation releases two dedicated threads that make <see cref="SelectionsPerThread"/> selections
/// each; the time per operation is wall time divided by all selections of both threads (so lower than the
/// one-thread figure if the two threads scale).
/// </summary>
[BenchmarkCategory("Selection")]
public class TwoThreadSelectionBenchmarks
{
    private const int SelectionsPerThread = 50_000;
    private const int Threads = 2;
    private SelectionRig? rig;
    private Barrier? start;
    private Barrier? done;
    private Thread[] workers = [];
    private volatile bool stopping;
    private long sink;

    /// <summary>The strategy under test.</summary>
    [Params(ProxySqlStrategy.Random, ProxySqlStrategy.RoundRobin, ProxySqlStrategy.LeastConnections, ProxySqlStrategy.Ordered)]
    public ProxySqlStrategy Strategy { get; set; }

    /// <summary>Builds the balancer and parks two worker threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        rig = new SelectionRig(Strategy);
        start = new Barrier(Threads + 1);
        done = new Barrier(Threads + 1);
        stopping = false;
        workers = [.. Enumerable.Range(0, Threads).Select(_ => new Thread(Work) { IsBackground = true })];
        foreach (Thread worker in workers)
        {
            worker.Start();
        }
    }

    /// <summary>Stops the workers and disposes the balancer.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        stopping = true;
        start!.SignalAndWait();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        start.Dispose();
        done!.Dispose();
        rig!.Dispose();
    }

    /// <summary>Both threads make their selections concurrently.</summary>
    [Benchmark(OperationsPerInvoke = Threads * SelectionsPerThread)]
    public void Engine()
    {
        start!.SignalAndWait();
        done!.SignalAndWait();
    }

    private void Work()
    {
        while (true)
        {
            start!.SignalAndWait();
            if (stopping)
            {
                return;
            }

            long sum = 0;
            for (int i = 0; i < SelectionsPerThread; i++)
            {
                sum += rig!.SelectOnce();
            }

            Interlocked.Add(ref sink, sum); // keeps the loop from being optimised away
            done!.SignalAndWait();
        }
    }
}
