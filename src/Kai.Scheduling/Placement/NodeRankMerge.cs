namespace Kai.Scheduling.Placement;

/// <summary>Merges orders of nodes that use one comparer into one order, each node once (k-way merge).</summary>
internal static class NodeRankMerge
{
    public static IEnumerable<NodeRank> Merge(IReadOnlyList<IEnumerable<NodeRank>> sources, IComparer<NodeRank> comparer)
    {
        var heads = new PriorityQueue<IEnumerator<NodeRank>, NodeRank>(sources.Count, comparer);
        try
        {
            foreach (var source in sources)
            {
                var enumerator = source.GetEnumerator();
                if (enumerator.MoveNext())
                {
                    heads.Enqueue(enumerator, enumerator.Current);
                }
                else
                {
                    enumerator.Dispose();
                }
            }

            var last = -1;
            while (heads.TryDequeue(out var head, out var rank))
            {
                // A node in two sources has one rank, so its copies come out one after the other.
                if (rank.Node != last)
                {
                    last = rank.Node;
                    yield return rank;
                }

                if (head.MoveNext())
                {
                    heads.Enqueue(head, head.Current);
                }
                else
                {
                    head.Dispose();
                }
            }
        }
        finally
        {
            while (heads.TryDequeue(out var head, out _))
            {
                head.Dispose();
            }
        }
    }
}
