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

    /// <summary>Writes each PodGroup's resourcesStatus from its pods.</summary>
    PodGroupController,

    /// <summary>Writes each Queue's status summed up the queue tree.</summary>
    QueueController,

    /// <summary>Creates whole-GPU scaling pods for unschedulable GPU-sharing pods, for cluster autoscalers (off unless asked for).</summary>
    NodeScaleAdjuster,
}

/// <summary>Names of components on the command line and of their leader-election leases, as KAI names them.</summary>
public static class Components
{
    /// <summary>The components a host runs unless told otherwise (the node-scale-adjuster is only for clusters with an autoscaler).</summary>
    public static IReadOnlyList<Component> All { get; } = [Component.Scheduler, Component.Binder, Component.PodGrouper, Component.PodGroupController, Component.QueueController];

    /// <summary>Every component, including those run only when asked for.</summary>
    public static IReadOnlyList<Component> Known { get; } = [.. All, Component.NodeScaleAdjuster];

    /// <summary>The name on the command line: scheduler, binder, podgrouper, podgroupcontroller, queuecontroller, nodescaleadjuster.</summary>
    public static string NameOf(Component component) => component switch
    {
        Component.Scheduler => "scheduler",
        Component.Binder => "binder",
        Component.PodGroupController => "podgroupcontroller",
        Component.QueueController => "queuecontroller",
        Component.NodeScaleAdjuster => "nodescaleadjuster",
        _ => "podgrouper",
    };

    public static bool TryParse(string name, out Component component)
    {
        foreach (var candidate in Known)
        {
            // KAI's deployment names (pod-grouper, podgroup-controller, queue-controller) work too.
            if (string.Equals(NameOf(candidate), name.Trim().Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase))
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
    /// <c>54dff599.kai.scheduler</c>, the podgroup-controller's <c>o1x22tjj.kai.scheduler</c>, the queue-controller's
    /// <c>ov3xj497.kai.scheduler</c>, the node-scale-adjuster's <c>7n7h49uc.kai.scheduler</c>.
    /// </summary>
    public static string LeaseNameOf(Component component, string schedulerName, string? partition) => component switch
    {
        Component.Scheduler => string.IsNullOrEmpty(partition) ? schedulerName : $"{schedulerName}-{partition}",
        Component.Binder => "2ad35f9c.kai.scheduler",
        Component.PodGroupController => "o1x22tjj.kai.scheduler",
        Component.QueueController => "ov3xj497.kai.scheduler",
        Component.NodeScaleAdjuster => "7n7h49uc.kai.scheduler",
        _ => "54dff599.kai.scheduler",
    };
}
