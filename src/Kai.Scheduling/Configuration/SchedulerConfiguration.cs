namespace Kai.Scheduling.Configuration;

/// <summary>
/// Typed scheduler configuration: which actions run in which order, which plugins are on and their
/// arguments, and the scheduler flags that shape policy. Defaults are KAI's (semantics spec §15).
/// </summary>
public sealed record SchedulerConfiguration
{
    public static SchedulerConfiguration Default { get; } = new();

    /// <summary>Actions in the order they run each cycle.</summary>
    public IReadOnlyList<ActionKind> Actions { get; init; } =
        [ActionKind.Allocate, ActionKind.Consolidation, ActionKind.Reclaim, ActionKind.Preempt, ActionKind.StaleGangEviction];

    /// <summary>Enabled plugins by KAI name; order matters only where KAI's does (first registered wins).</summary>
    public IReadOnlyList<string> Plugins { get; init; } = PluginNames.Defaults;

    public PlacementOptions Placement { get; init; } = new();

    public ProportionOptions Proportion { get; init; } = new();

    public MinRuntimeOptions MinRuntime { get; init; } = new();

    /// <summary>Most victim jobs a consolidation may move; 0 turns consolidation off.</summary>
    public int MaxConsolidationPreemptees { get; init; } = 16;

    /// <summary>How long a gang may run below its minimum before it is evicted; negative = never.</summary>
    public TimeSpan StalenessGracePeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reclaim may count victims that the simulation re-placed elsewhere as not evicted.</summary>
    public bool AllowConsolidatingReclaim { get; init; } = true;

    /// <summary>Skip jobs that are provably no easier than one that already failed in this action.</summary>
    public bool UseSchedulingSignatures { get; init; } = true;

    /// <summary>Upper bound of candidate jobs per queue and action (absent = unlimited).</summary>
    public IReadOnlyDictionary<ActionKind, int> QueueDepthPerAction { get; init; } = new Dictionary<ActionKind, int>();

    /// <summary>Whether a plugin is enabled.</summary>
    public bool IsEnabled(string plugin) => Plugins.Contains(plugin, StringComparer.Ordinal);

    /// <summary>Problems that make this configuration unusable, each naming the setting and what would be right.</summary>
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

        foreach (var plugin in Plugins.Where(p => !PluginNames.Known.Contains(p)))
        {
            errors.Add($"plugins: '{plugin}' is not a known plugin; known plugins: {string.Join(", ", PluginNames.Known.Order(StringComparer.Ordinal))}.");
        }

        if (MaxConsolidationPreemptees < 0)
        {
            errors.Add($"maxConsolidationPreemptees: {MaxConsolidationPreemptees} is negative; use 0 (off) or a positive count (default 16).");
        }

        if (Proportion.KValue < 0 || double.IsNaN(Proportion.KValue))
        {
            errors.Add($"proportion.kValue: {Proportion.KValue} must be a number >= 0 (default 1.0).");
        }

        if (Proportion.ReclaimerSaturationMultiplier < 1 || double.IsNaN(Proportion.ReclaimerSaturationMultiplier))
        {
            errors.Add($"proportion.reclaimerUtilizationMultiplier: {Proportion.ReclaimerSaturationMultiplier} must be >= 1 (default 1.0).");
        }

        if (MinRuntime.PreemptMinRuntime < TimeSpan.Zero || MinRuntime.ReclaimMinRuntime < TimeSpan.Zero)
        {
            errors.Add("minruntime: preemptMinRuntime and reclaimMinRuntime must not be negative.");
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

public sealed record PlacementOptions
{
    /// <summary>Strategy for pods that request GPUs.</summary>
    public PlacementStrategy Gpu { get; init; } = PlacementStrategy.Binpack;

    /// <summary>Strategy for CPU-only pods.</summary>
    public PlacementStrategy Cpu { get; init; } = PlacementStrategy.Binpack;
}

public sealed record ProportionOptions
{
    /// <summary>How strongly historical usage corrects over-quota shares (no effect without usage data).</summary>
    public double KValue { get; init; } = 1.0;

    /// <summary>
    /// Reclaim's saturation multiplier (>= 1): a reclaimer above its fair share may take from a sibling only while
    /// its own utilisation ratio times this stays below the sibling's. KAI reads the misspelt key
    /// <c>relcaimerSaturationMultiplier</c>; both it and <c>reclaimerUtilizationMultiplier</c> are accepted.
    /// </summary>
    public double ReclaimerSaturationMultiplier { get; init; } = 1.0;
}

public enum MinRuntimeResolveMethod
{
    /// <summary>Start one level below the lowest common ancestor of reclaimer and victim, walk up.</summary>
    Lca,

    /// <summary>Start at the victim's leaf queue, walk up.</summary>
    Queue,
}

public sealed record MinRuntimeOptions
{
    public TimeSpan PreemptMinRuntime { get; init; } = TimeSpan.Zero;

    public TimeSpan ReclaimMinRuntime { get; init; } = TimeSpan.Zero;

    public MinRuntimeResolveMethod ReclaimResolveMethod { get; init; } = MinRuntimeResolveMethod.Lca;
}
