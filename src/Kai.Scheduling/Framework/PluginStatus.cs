namespace Kai.Scheduling.Framework;

/// <summary>What kind of verdict a <see cref="PluginStatus"/> is.</summary>
public enum PluginStatusCode
{
    /// <summary>Allowed: the pod may run on the node, the group may be a victim, the scenario is acceptable.</summary>
    Success = 0,

    /// <summary>Not now, for a reason that changing the cluster (evicting pods, freeing capacity) could remove.</summary>
    Unschedulable,

    /// <summary>Not as things are, and evicting pods would not change that (a taint, a node selector, a quota).</summary>
    UnschedulableAndUnresolvable,

    /// <summary>The plugin could not decide (inconsistent input); treated as a rejection with the reason given.</summary>
    Error,

    /// <summary>The plugin has nothing to say about this case; treated as <see cref="Success"/>.</summary>
    Skip,
}

/// <summary>
/// The one verdict every plugin gives (kube-scheduler's <c>Status</c>): success, or why not and how final that is.
/// The default value is success. Explanations are built from these: equal statuses count together.
/// </summary>
/// <param name="Code">What kind of verdict.</param>
/// <param name="Reason">Why not, in words a person can act on (e.g. <c>untolerated taint gpu=reserved</c>); null on success.</param>
/// <param name="Plugin">The plugin that gave the verdict (its configuration name), or null for the framework's own checks.</param>
public readonly record struct PluginStatus(PluginStatusCode Code, string? Reason = null, string? Plugin = null)
{
    public static PluginStatus Success => default;

    /// <summary>
    /// The reason name a pending pod group's explanation carries when this status is why it waits (KAI's
    /// <c>OverLimit</c>, <c>NonPreemptibleOverQuota</c>); null means the generic <c>Unschedulable</c>.
    /// </summary>
    public string? ExplanationReason { get; init; }

    /// <summary>Success or Skip: nothing stands in the way.</summary>
    public bool IsSuccess => Code is PluginStatusCode.Success or PluginStatusCode.Skip;

    public static PluginStatus Unschedulable(string reason, string? plugin = null) => new(PluginStatusCode.Unschedulable, reason, plugin);

    public static PluginStatus Unresolvable(string reason, string? plugin = null) => new(PluginStatusCode.UnschedulableAndUnresolvable, reason, plugin);

    public static PluginStatus Failed(string reason, string? plugin = null) => new(PluginStatusCode.Error, reason, plugin);

    public static PluginStatus Skipped(string? plugin = null) => new(PluginStatusCode.Skip, null, plugin);

    public override string ToString() => IsSuccess ? Code.ToString() : Reason ?? Code.ToString();
}
