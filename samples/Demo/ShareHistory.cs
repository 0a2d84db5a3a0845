namespace ProxySql.Demo;

/// <summary>
/// Each node's share of the completed statements over the whole run, in equal time buckets, and the worst
/// condition the node was in during each bucket: what the live view draws as the share-over-time strip.
/// </summary>
internal sealed class ShareHistory(int nodeCount, TimeSpan bucket)
{
    private readonly List<long[]> _counts = [];
    private readonly List<NodeCondition[]> _conditions = [];
    private long[]? _last;

    public TimeSpan Bucket { get; } = bucket;

    public int Count => _counts.Count;

    /// <summary>Adds what happened since the last call, at <paramref name="elapsed"/> into the run.</summary>
    public void Record(TimeSpan elapsed, long[] queries, NodeCondition[] conditions)
    {
        var index = (int)(elapsed / Bucket);
        while (_counts.Count <= index)
        {
            _counts.Add(new long[nodeCount]);
            _conditions.Add(new NodeCondition[nodeCount]);
        }

        for (var i = 0; i < nodeCount; i++)
        {
            _counts[index][i] += _last is null ? 0 : queries[i] - _last[i];
            if (Severity(conditions[i]) > Severity(_conditions[index][i]))
                _conditions[index][i] = conditions[i];
        }

        _last = queries;
    }

    /// <summary>The node's share of bucket <paramref name="index"/>, or <see langword="null"/> when nothing completed in it.</summary>
    public double? Share(int index, int node)
    {
        var counts = _counts[index];
        var total = counts.Sum();
        return total == 0 ? null : (double)counts[node] / total;
    }

    public NodeCondition Condition(int index, int node) => _conditions[index][node];

    /// <summary>A fault outranks being up, so a short pause still shows in its bucket.</summary>
    private static int Severity(NodeCondition condition) => condition switch
    {
        NodeCondition.Up => 0,
        NodeCondition.Starting => 1,
        _ => 2,
    };
}
