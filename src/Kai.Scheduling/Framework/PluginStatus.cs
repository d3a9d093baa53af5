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
/// <remarks>
/// The reason is held as given: a string, or a <see cref="DeferredReason"/> whose words are written when
/// <see cref="Reason"/> is first read. Most refusals are asked for inside simulations that only read
/// <see cref="IsSuccess"/>; writing their texts there was megabytes a cycle. Equality compares the words either way.
/// </remarks>
public readonly record struct PluginStatus
{
    // A string, a DeferredReason, or null.
    private readonly object? _reason;

    /// <param name="code">What kind of verdict.</param>
    /// <param name="reason">Why not, in words a person can act on (e.g. <c>untolerated taint gpu=reserved</c>); null on success.</param>
    /// <param name="plugin">The plugin that gave the verdict (its configuration name), or null for the framework's own checks.</param>
    public PluginStatus(PluginStatusCode code, string? reason = null, string? plugin = null)
    {
        Code = code;
        _reason = reason;
        Plugin = plugin;
    }

    private PluginStatus(PluginStatusCode code, DeferredReason reason, string? plugin)
    {
        Code = code;
        _reason = reason;
        Plugin = plugin;
    }

    public static PluginStatus Success => default;

    /// <summary>What kind of verdict.</summary>
    public PluginStatusCode Code { get; init; }

    /// <summary>Why not, in words a person can act on (e.g. <c>untolerated taint gpu=reserved</c>); null on success.</summary>
    public string? Reason
    {
        get => _reason is DeferredReason deferred ? deferred.Text : (string?)_reason;
        init => _reason = value;
    }

    /// <summary>The plugin that gave the verdict (its configuration name), or null for the framework's own checks.</summary>
    public string? Plugin { get; init; }

    /// <summary>
    /// The reason name a pending pod group's explanation carries when this status is why it waits (KAI's
    /// <c>OverLimit</c>, <c>NonPreemptibleOverQuota</c>); null means the generic <c>Unschedulable</c>.
    /// </summary>
    public string? ExplanationReason { get; init; }

    /// <summary>Success or Skip: nothing stands in the way.</summary>
    public bool IsSuccess => Code is PluginStatusCode.Success or PluginStatusCode.Skip;

    public static PluginStatus Unschedulable(string reason, string? plugin = null) => new(PluginStatusCode.Unschedulable, reason, plugin);

    /// <summary>An <see cref="PluginStatusCode.Unschedulable"/> refusal whose words are written only when read.</summary>
    public static PluginStatus Unschedulable(DeferredReason reason, string? plugin = null) => new(PluginStatusCode.Unschedulable, reason, plugin);

    public static PluginStatus Unresolvable(string reason, string? plugin = null) => new(PluginStatusCode.UnschedulableAndUnresolvable, reason, plugin);

    /// <summary>An <see cref="PluginStatusCode.UnschedulableAndUnresolvable"/> refusal whose words are written only when read.</summary>
    public static PluginStatus Unresolvable(DeferredReason reason, string? plugin = null) => new(PluginStatusCode.UnschedulableAndUnresolvable, reason, plugin);

    public static PluginStatus Failed(string reason, string? plugin = null) => new(PluginStatusCode.Error, reason, plugin);

    public static PluginStatus Skipped(string? plugin = null) => new(PluginStatusCode.Skip, (string?)null, plugin);

    public void Deconstruct(out PluginStatusCode code, out string? reason, out string? plugin)
    {
        code = Code;
        reason = Reason;
        plugin = Plugin;
    }

    /// <summary>Equal kinds, plugins, explanation reasons and words (a deferred reason is written to be compared).</summary>
    public bool Equals(PluginStatus other) =>
        Code == other.Code
        && string.Equals(Plugin, other.Plugin, StringComparison.Ordinal)
        && string.Equals(ExplanationReason, other.ExplanationReason, StringComparison.Ordinal)
        && (ReferenceEquals(_reason, other._reason) || string.Equals(Reason, other.Reason, StringComparison.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Code, Reason, Plugin, ExplanationReason);

    public override string ToString() => IsSuccess ? Code.ToString() : Reason ?? Code.ToString();
}
