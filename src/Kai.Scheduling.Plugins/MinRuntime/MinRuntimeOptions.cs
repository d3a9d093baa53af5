using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Plugins.MinRuntime;

/// <summary>How reclaim finds the min-runtime that protects a victim.</summary>
public enum MinRuntimeResolveMethod
{
    /// <summary>Start one level below the lowest common ancestor of reclaimer and victim, walk up.</summary>
    Lca,

    /// <summary>Start at the victim's leaf queue, walk up.</summary>
    Queue,
}

/// <summary>The minruntime plugin's arguments: the defaults for queues that set no min-runtime of their own.</summary>
public sealed record MinRuntimeOptions : IPluginOptions
{
    private static readonly string[] Arguments = ["defaultPreemptMinRuntime", "defaultReclaimMinRuntime", "reclaimResolveMethod"];

    /// <summary>Argument <c>defaultPreemptMinRuntime</c> (also <c>preemptMinRuntime</c>); default 0s.</summary>
    public TimeSpan PreemptMinRuntime { get; init; } = TimeSpan.Zero;

    /// <summary>Argument <c>defaultReclaimMinRuntime</c> (also <c>reclaimMinRuntime</c>); default 0s.</summary>
    public TimeSpan ReclaimMinRuntime { get; init; } = TimeSpan.Zero;

    /// <summary>Argument <c>reclaimResolveMethod</c>: lca (default) or queue.</summary>
    public MinRuntimeResolveMethod ReclaimResolveMethod { get; init; } = MinRuntimeResolveMethod.Lca;

    public static MinRuntimeOptions Bind(PluginBinding binding)
    {
        var options = new MinRuntimeOptions();
        foreach (var argument in binding.Arguments)
        {
            switch (argument.Key)
            {
                case "defaultPreemptMinRuntime" or "preemptMinRuntime":
                    options = options with { PreemptMinRuntime = binding.Duration(argument) ?? options.PreemptMinRuntime };
                    break;
                case "defaultReclaimMinRuntime" or "reclaimMinRuntime":
                    options = options with { ReclaimMinRuntime = binding.Duration(argument) ?? options.ReclaimMinRuntime };
                    break;
                case "reclaimResolveMethod":
                    var method = binding.Choice(argument, ("lca", MinRuntimeResolveMethod.Lca), ("queue", MinRuntimeResolveMethod.Queue));
                    options = options with { ReclaimResolveMethod = method ?? options.ReclaimResolveMethod };
                    break;
                default:
                    binding.Unknown(argument, Arguments);
                    break;
            }
        }

        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (PreemptMinRuntime < TimeSpan.Zero || ReclaimMinRuntime < TimeSpan.Zero)
        {
            yield return $"{MinRuntimePlugin.PluginName}: preemptMinRuntime and reclaimMinRuntime must not be negative.";
        }
    }
}
