namespace Kai.Scheduling.Solvers;

/// <summary>
/// One try's victims without building their list: the recorded victims, then every taken pod of the groups with a taken
/// pod on the tried node, group by group (<see cref="ScenarioVictims.OfGroupsOn"/>'s order). Most tries are failed by a
/// proof that only sums what the victims free per node (<see cref="TryRoomCheck"/>, <see cref="VictimNodeReach"/>), so
/// the list is built only for a try that is simulated.
/// </summary>
internal readonly struct TryVictims
{
    private readonly List<int> _recorded;
    private readonly ScenarioVictims? _scenario;
    private readonly int _node;

    /// <summary>Exactly <paramref name="pods"/>.</summary>
    public TryVictims(List<int> pods)
        : this(pods, null, -1)
    {
    }

    /// <summary><paramref name="recorded"/>, then the taken pods of <paramref name="scenario"/>'s groups on <paramref name="node"/>.</summary>
    public TryVictims(List<int> recorded, ScenarioVictims? scenario, int node)
    {
        _recorded = recorded;
        _scenario = scenario;
        _node = node;
    }

    /// <summary>The recorded victims (all the victims when the try was listed up front).</summary>
    public List<int> Recorded => _recorded;

    /// <summary>The search's taken groups the try evicts those of on <see cref="Node"/>; null when the try was listed up front.</summary>
    public ScenarioVictims? Scenario => _scenario;

    /// <summary>The tried node (-1 when the try was listed up front).</summary>
    public int Node => _node;

    /// <summary>The victims as a list, in the order enumerated.</summary>
    public List<int> ToList() => _scenario is null ? _recorded : [.. _recorded, .. _scenario.OfGroupsOn(_node)];

    public Enumerator GetEnumerator() => new(_recorded, _scenario?.GroupsOn(_node), _scenario);

    /// <summary>Walks the recorded pods, then each group's taken pods, without allocating.</summary>
    internal struct Enumerator(List<int> recorded, List<int>? groups, ScenarioVictims? scenario)
    {
        private int _group = -1;
        private int _index = -1;
        private List<int> _pods = recorded;

        public readonly int Current => _pods[_index];

        public bool MoveNext()
        {
            _index++;
            while (_index >= _pods.Count)
            {
                if (groups is null || ++_group >= groups.Count)
                {
                    return false;
                }

                _pods = scenario!.PodsTakenOf(groups[_group]);
                _index = 0;
            }

            return true;
        }
    }
}
