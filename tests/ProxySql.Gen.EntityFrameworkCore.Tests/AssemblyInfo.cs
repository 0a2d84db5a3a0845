// Fault tests share 2 cores and one MariaDB: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
