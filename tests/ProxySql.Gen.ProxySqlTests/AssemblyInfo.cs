// Every scenario starts three proxysql nodes and 16 workers on 2 shared cores: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
