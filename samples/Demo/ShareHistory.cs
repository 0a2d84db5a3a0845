namespace ProxySql.Demo;

/// <summary>
/// Each node's share of the completed statements over the whole run, in equal time buckets, and the worst
/// condition the node was in during each bucket: what the live view draws as the share-over-time strip.
/// </summary>
internal sealed class ShareHistory(int nodeCount, TimeSpan bucket)
{
    private readonly List<double[]> _counts = [];
    private readonly List<NodeCondition[]> _conditions = [];
    private long[]? _last;
    private int _lastIndex = -1;

    public TimeSpan Bucket { get; } = bucket;

    public int Count => _counts.Count;

    /// <summary>Adds what happened since the last call, at <paramref name="elapsed"/> into the run.</summary>
    public void Record(TimeSpan elapsed, long[] queries, NodeCondition[] conditions)
    {
        var index = (int)(elapsed / Bucket);
        while (_counts.Count <= index)
        {
            _counts.Add(new double[nodeCount]);
            _conditions.Add(new NodeCondition[nodeCount]);
        }

        // When the sampler was held up (a loaded machine) past whole buckets, what completed meanwhile is spread
        // evenly over them instead of leaving them empty.
        var first = Math.Clamp(_lastIndex + 1, 0, index);
        var spread = index - first + 1;
        for (var b = first; b <= index; b++)
        {
            for (var i = 0; i < nodeCount; i++)
            {
                _counts[b][i] += _last is null ? 0 : (double)(queries[i] - _last[i]) / spread;
                if (Severity(conditions[i]) > Severity(_conditions[b][i]))
                    _conditions[b][i] = conditions[i];
            }
        }

        _last = queries;
        _lastIndex = index;
    }

    /// <summary>The node's share of bucket <paramref name="index"/>, or <see langword="null"/> when nothing completed in it.</summary>
    public double? Share(int index, int node)
    {
        var counts = _counts[index];
        var total = counts.Sum();
        return total == 0 ? null : counts[node] / total;
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
