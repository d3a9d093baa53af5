namespace Kai.Scheduling.Configuration;

/// <summary>
/// What the scheduler runs: which actions in which order, which plugins with which arguments, and the
/// scheduler-wide flags that shape policy. Defaults are KAI's (semantics spec §15). Plugin arguments stay as
/// written here; each plugin binds and validates its own options when a <see cref="Framework.PluginRegistry"/>
/// configures it.
/// </summary>
public sealed record SchedulerConfiguration
{
    public static SchedulerConfiguration Default { get; } = new();

    /// <summary>Actions in the order they run each cycle.</summary>
    public IReadOnlyList<ActionKind> Actions { get; init; } =
        [ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction];

    /// <summary>
    /// Enabled plugins with their arguments; order matters only where KAI's does (first registered wins). Null
    /// means the registry's default list (KAI's, for KAI's registry).
    /// </summary>
    public IReadOnlyList<PluginEntry>? Plugins { get; init; }

    /// <summary>
    /// Plugin options given as typed values (by hosts and tests), by plugin name; they take the place of what
    /// the plugin would bind from its arguments.
    /// </summary>
    public IReadOnlyDictionary<string, IPluginOptions> PluginOptions { get; init; } = new Dictionary<string, IPluginOptions>(StringComparer.Ordinal);

    /// <summary>
    /// The shard-level placement strategy for GPU pods (KAI's SchedulingShard <c>placementStrategy.gpu</c>): the
    /// default of a placement plugin's own setting. Null: the plugin's default.
    /// </summary>
    public PlacementStrategy? GpuPlacementStrategy { get; init; }

    /// <summary>The shard-level placement strategy for CPU-only pods (<c>placementStrategy.cpu</c>), as <see cref="GpuPlacementStrategy"/>.</summary>
    public PlacementStrategy? CpuPlacementStrategy { get; init; }

    /// <summary>Most victim jobs a consolidation may move; 0 turns consolidation off.</summary>
    public int MaxConsolidationPreemptees { get; init; } = 16;

    /// <summary>How long a gang may run below its minimum before it is evicted; negative = never.</summary>
    public TimeSpan StalenessGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reclaim may count victims that the simulation re-placed elsewhere as not evicted.</summary>
    public bool AllowConsolidatingReclaim { get; init; } = true;

    /// <summary>Skip jobs that are provably no easier than one that already failed in this action.</summary>
    public bool UseSchedulingSignatures { get; init; } = true;

    /// <summary>
    /// Mebibytes the garbage collector keeps free for a cycle so that it does not collect during it (a no-GC region
    /// around the cycle's decisions and write-back; 0 = off). Most of what a cycle allocates survives it (decisions,
    /// bind requests), so each collection inside the cycle copies that into older generations; a collection that
    /// falls between cycles finds it there anyway. When the cycle allocates more, the collector collects then as
    /// usual. The host that runs cycles applies it (<c>Scheduler</c>), and only when it is larger than the runtime's own
    /// first-generation budget (which .NET derives from the processor's cache size): a smaller region would spare the
    /// cycle nothing. Off by default: where it is entered it saved little of the 5,000-node cycle and raised the
    /// 140,000-pod peak working set by 3-18 MB (docs/performance.md, "The 5,000-node cycle, fifth look"). The engine
    /// never reads it.
    /// </summary>
    public int CycleGcBudgetMiB { get; init; } = DefaultCycleGcBudgetMiB;

    /// <summary>The largest <see cref="CycleGcBudgetMiB"/> accepted (the collector refuses regions larger than its heap allows).</summary>
    public const int MaxCycleGcBudgetMiB = 4096;

    /// <summary>The default of <see cref="CycleGcBudgetMiB"/>.</summary>
    public const int DefaultCycleGcBudgetMiB = 0;

    /// <summary>Upper bound of candidate jobs per queue and action (absent = unlimited).</summary>
    public IReadOnlyDictionary<ActionKind, int> QueueDepthPerAction { get; init; } = new Dictionary<ActionKind, int>();

    /// <summary>A copy with <paramref name="options"/> as the typed options of plugin <paramref name="plugin"/>.</summary>
    public SchedulerConfiguration WithPluginOptions(string plugin, IPluginOptions options) =>
        this with { PluginOptions = new Dictionary<string, IPluginOptions>(PluginOptions, StringComparer.Ordinal) { [plugin] = options } };

    /// <summary>
    /// Problems with the actions and scheduler-wide flags, each naming the setting and what would be right.
    /// Plugins are checked by the registry that configures them.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Actions.Count == 0)
        {
            errors.Add("actions: at least one action is needed, e.g. 'allocate'.");
        }

        foreach (var duplicate in Actions.GroupBy(a => a).Where(g => g.Count() > 1))
        {
            errors.Add($"actions: '{ActionNames.Of(duplicate.Key)}' is listed {duplicate.Count()} times; list each action once.");
        }

        if (MaxConsolidationPreemptees < 0)
        {
            errors.Add($"maxConsolidationPreemptees: {MaxConsolidationPreemptees} is negative; use 0 (off) or a positive count (default 16).");
        }

        if (CycleGcBudgetMiB is < 0 or > MaxCycleGcBudgetMiB)
        {
            errors.Add($"cycleGcBudgetMiB: {CycleGcBudgetMiB} is out of range; use 0 (off) up to {MaxCycleGcBudgetMiB} (default {DefaultCycleGcBudgetMiB}).");
        }

        foreach (var (action, depth) in QueueDepthPerAction)
        {
            if (depth <= 0)
            {
                errors.Add($"queueDepthPerAction.{ActionNames.Of(action)}: {depth} must be a positive count.");
            }

            if (!Actions.Contains(action))
            {
                errors.Add($"queueDepthPerAction.{ActionNames.Of(action)}: the action is not enabled; enable it or remove the entry.");
            }
        }

        return errors;
    }
}

/// <summary>Where to put pods among fitting nodes, per resource kind.</summary>
public enum PlacementStrategy
{
    /// <summary>Fill the fullest nodes first (less fragmentation).</summary>
    Binpack,

    /// <summary>Prefer the emptiest nodes (resilience, load spreading).</summary>
    Spread,
}
