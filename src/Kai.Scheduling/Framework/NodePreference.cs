namespace Kai.Scheduling.Framework;

/// <summary>
/// A score added to every node score of a placement, by a key the node has (e.g. 10,000 to 100,000 by the node's
/// domain at a topology's preferred level, as KAI's topology plugin scores). Few distinct values: the node search
/// walks them as tiers, best first, when each step is larger than all other scores together.
/// </summary>
public sealed class NodePreference
{
    private readonly IReadOnlyList<int> _keyOfNode;
    private readonly int _firstKey;
    private readonly double[] _scoreOfKey;

    /// <param name="keyOfNode">Each node's key (negative: none), indexed by snapshot node index; shared, not copied.</param>
    /// <param name="firstKey">The key <paramref name="scoreOfKey"/> starts at; keys outside the span score 0.</param>
    /// <param name="scoreOfKey">The score of keys <paramref name="firstKey"/>, <paramref name="firstKey"/> + 1, … (copied).</param>
    public NodePreference(IReadOnlyList<int> keyOfNode, int firstKey, ReadOnlySpan<double> scoreOfKey)
    {
        ArgumentNullException.ThrowIfNull(keyOfNode);
        _keyOfNode = keyOfNode;
        _firstKey = firstKey;
        _scoreOfKey = scoreOfKey.ToArray();
        Scores = [.. _scoreOfKey.Append(0).Distinct().OrderDescending()];
        var gap = double.PositiveInfinity;
        for (var i = 1; i < Scores.Length; i++)
        {
            gap = Math.Min(gap, Scores[i - 1] - Scores[i]);
        }

        SmallestStep = gap;
    }

    /// <summary>The distinct scores a node can get (0 included), highest first.</summary>
    public double[] Scores { get; }

    /// <summary>The smallest difference between two distinct scores (infinite when there is one).</summary>
    public double SmallestStep { get; }

    public double ScoreOf(int node)
    {
        var key = _keyOfNode[node] - _firstKey;
        return key >= 0 && key < _scoreOfKey.Length ? _scoreOfKey[key] : 0;
    }
}
