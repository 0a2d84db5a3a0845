// The chaos and fault tests own real processes, listen to process-wide meters and activity sources, and need the
// 2 CI cores to themselves: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
