// Fault and timing tests share 2 cores and count process-wide metrics: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
