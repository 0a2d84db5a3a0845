// One test sets a process environment variable and fault tests share 2 cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
