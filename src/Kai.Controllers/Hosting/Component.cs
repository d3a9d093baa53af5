namespace Kai.Controllers.Hosting;

/// <summary>A component <c>kai run</c> can run, by the name used on its command line.</summary>
public enum Component
{
    /// <summary>Scheduling cycles: cache, snapshot, engine, bind requests and evictions, status.</summary>
    Scheduler,

    /// <summary>Binds the pods of bind requests through the binding subresource.</summary>
    Binder,

    /// <summary>Gives pods without a pod group one of their own.</summary>
    PodGrouper,
}

/// <summary>Names of components on the command line and of their leader-election leases, as KAI names them.</summary>
public static class Components
{
    public static IReadOnlyList<Component> All { get; } = [Component.Scheduler, Component.Binder, Component.PodGrouper];

    /// <summary>The name on the command line: scheduler, binder, podgrouper.</summary>
    public static string NameOf(Component component) => component switch
    {
        Component.Scheduler => "scheduler",
        Component.Binder => "binder",
        _ => "podgrouper",
    };

    public static bool TryParse(string name, out Component component)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(NameOf(candidate), name.Trim(), StringComparison.OrdinalIgnoreCase)
                || (candidate == Component.PodGrouper && string.Equals(name.Trim(), "pod-grouper", StringComparison.OrdinalIgnoreCase)))
            {
                component = candidate;
                return true;
            }
        }

        component = default;
        return false;
    }

    /// <summary>
    /// The Lease a component's replicas elect their leader on, as KAI's deployments name it: the scheduler's is
    /// <c>&lt;schedulerName&gt;[-&lt;partition&gt;]</c>, the binder's <c>2ad35f9c.kai.scheduler</c>, the pod-grouper's
    /// <c>54dff599.kai.scheduler</c>.
    /// </summary>
    public static string LeaseNameOf(Component component, string schedulerName, string? partition) => component switch
    {
        Component.Scheduler => string.IsNullOrEmpty(partition) ? schedulerName : $"{schedulerName}-{partition}",
        Component.Binder => "2ad35f9c.kai.scheduler",
        _ => "54dff599.kai.scheduler",
    };
}
