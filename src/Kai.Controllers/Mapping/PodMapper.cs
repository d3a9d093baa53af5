using System.Collections.Frozen;
using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Turns a Kubernetes Pod into the engine's <see cref="Pod"/>: effective request (requests default to limits;
/// init and sidecar containers; overhead; one pod slot), status in KAI's vocabulary, and placement constraints.
/// </summary>
internal static class PodMapper
{
    /// <param name="pod">The pod.</param>
    /// <param name="bindRequestNode">The node of a live bind request for this pod, if any.</param>
    /// <param name="catalog">Interns extended resource names.</param>
    /// <param name="issues">Receives problems with the pod.</param>
    /// <param name="bindRequestGroups">The GPU groups its live bind request selects, if any.</param>
    public static Pod Map(V1Pod pod, string? bindRequestNode, ResourceCatalog catalog, List<MappingIssue> issues, IReadOnlyList<string>? bindRequestGroups = null)
    {
        var metadata = pod.Metadata;
        var spec = pod.Spec ?? new V1PodSpec();
        var labels = metadata.Labels ?? new Dictionary<string, string>();
        var annotations = metadata.Annotations ?? new Dictionary<string, string>();
        var problems = new List<string>();

        var request = EffectiveRequest(spec, catalog, problems);
        var gpu = GpuRequestReader.Read(ref request, annotations, catalog, out var unsupported);
        if (unsupported is not null)
        {
            problems.Add($"cannot be scheduled: {unsupported}.");
        }

        // A reservation pod holds a shared GPU for its group, which already counts the device.
        var reservation = labels.TryGetValue(KaiConventions.ReservationAppLabel, out var app) && app == KaiConventions.ReservationAppValue;
        if (reservation)
        {
            request = request.WithGpu(0);
        }

        foreach (var problem in problems)
        {
            issues.Add(new MappingIssue("Pod", metadata.NamespaceProperty, metadata.Name, problem));
        }

        var orderPriority = labels.TryGetValue(KaiConventions.PodOrderPriorityLabel, out var priorityText) ? priorityText : null;
        int? parsedOrderPriority = orderPriority is not null && int.TryParse(orderPriority, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tp) ? tp : null;

        return new Pod
        {
            Uid = metadata.Uid ?? $"{metadata.NamespaceProperty}/{metadata.Name}",
            Namespace = metadata.NamespaceProperty ?? "default",
            Name = metadata.Name,
            GroupName = annotations.TryGetValue(KaiConventions.PodGroupAnnotation, out var group) && group.Length > 0 ? group : null,
            SubGroupName = labels.TryGetValue(KaiConventions.SubGroupLabel, out var subGroup) && subGroup.Length > 0 ? subGroup : null,
            Request = request.WithPods(1),
            Gpu = gpu,
            GpuGroups = bindRequestGroups is { Count: > 0 } && string.IsNullOrEmpty(spec.NodeName) ? bindRequestGroups : GpuGroupLabels.Read(labels),
            IsGpuReservation = reservation,
            Status = StatusOf(pod, bindRequestNode),
            NodeName = NodeOf(pod, bindRequestNode),
            IsScheduledByUs = string.Equals(spec.SchedulerName, KaiConventions.SchedulerName, StringComparison.Ordinal),
            CreationTimestamp = Timestamps.CreationOf(metadata),
            Constraints = ConstraintsOf(spec, metadata.NamespaceProperty ?? "default", labels),
            Labels = metadata.Labels is Dictionary<string, string> { Count: > 0 } own ? own : FrozenDictionary<string, string>.Empty,
            NominatedNodeName = NominatedNodeOf(pod),
            Role = RoleOf(labels),
            OrderPriority = parsedOrderPriority,
            HasInvalidOrderPriority = orderPriority is not null && parsedOrderPriority is null,
            Unsupported = unsupported,
        };
    }

    /// <summary>
    /// The node a bind request places its pod on while it is live: not failed and naming a node. Null otherwise
    /// (a failed request leaves the pod pending, to be placed again).
    /// </summary>
    public static string? LiveNodeOf(BindRequest request) =>
        !string.Equals(request.Status?.Phase, BindRequestStatus.PhaseFailed, StringComparison.Ordinal) && request.Spec?.SelectedNode is { Length: > 0 } node
            ? node
            : null;

    /// <summary>The GPU groups a live bind request selects for its pod (empty for a failed request or one without groups).</summary>
    public static IReadOnlyList<string> LiveGroupsOf(BindRequest request) =>
        LiveNodeOf(request) is not null && request.Spec?.SelectedGPUGroups is { Count: > 0 } groups ? [.. groups] : [];

    /// <summary>The pod's node: <c>spec.nodeName</c> once bound, else the node of its live bind request, if any.</summary>
    public static string? NodeOf(V1Pod pod, string? bindRequestNode) =>
        pod.Spec?.NodeName is { Length: > 0 } node ? node : bindRequestNode;

    /// <summary><c>status.nominatedNodeName</c>, or null when unset or empty.</summary>
    public static string? NominatedNodeOf(V1Pod pod) => pod.Status?.NominatedNodeName is { Length: > 0 } node ? node : null;

    /// <summary>KAI's pod status from the object (semantics spec §12).</summary>
    public static PodStatus StatusOf(V1Pod pod, string? bindRequestNode)
    {
        var deleting = pod.Metadata.DeletionTimestamp is not null;
        var phase = pod.Status?.Phase;
        var hasNode = !string.IsNullOrEmpty(pod.Spec?.NodeName);
        return phase switch
        {
            "Running" => deleting ? PodStatus.Releasing : PodStatus.Running,
            "Succeeded" => PodStatus.Succeeded,
            "Failed" => PodStatus.Failed,
            "Unknown" => PodStatus.Unknown,
            _ when deleting => PodStatus.Releasing,
            _ when hasNode => PodStatus.Bound,
            _ when bindRequestNode is not null => PodStatus.Binding,
            _ when pod.Spec?.SchedulingGates is { Count: > 0 } => PodStatus.Gated,
            _ => PodStatus.Pending,
        };
    }

    private static ResourceVector EffectiveRequest(V1PodSpec spec, ResourceCatalog catalog, List<string> problems)
    {
        // Kubernetes: max(each init container plus the sidecars started before it, all containers plus all sidecars) + overhead.
        var containers = ResourceVector.Zero;
        foreach (var container in spec.Containers ?? [])
        {
            containers += ContainerRequest(container, catalog, problems, $"container '{container.Name}'");
        }

        var sidecars = ResourceVector.Zero;
        var init = ResourceVector.Zero;
        foreach (var container in spec.InitContainers ?? [])
        {
            var request = ContainerRequest(container, catalog, problems, $"init container '{container.Name}'");
            if (string.Equals(container.RestartPolicy, "Always", StringComparison.Ordinal))
            {
                sidecars += request;
                init = init.Max(sidecars);
            }
            else
            {
                init = init.Max(sidecars + request);
            }
        }

        var effective = (containers + sidecars).Max(init);
        return effective + ResourceListReader.Read(spec.Overhead, catalog, problems, "overhead");
    }

    private static ResourceVector ContainerRequest(V1Container container, ResourceCatalog catalog, List<string> problems, string where)
    {
        var resources = container.Resources;
        if (resources is null)
        {
            return ResourceVector.Zero;
        }

        // A resource given only as a limit is requested at its limit.
        var merged = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        foreach (var (name, quantity) in resources.Limits ?? new Dictionary<string, ResourceQuantity>())
        {
            merged[name] = quantity;
        }

        foreach (var (name, quantity) in resources.Requests ?? new Dictionary<string, ResourceQuantity>())
        {
            merged[name] = quantity;
        }

        return ResourceListReader.Read(merged, catalog, problems, where);
    }

    private static PlacementConstraints ConstraintsOf(V1PodSpec spec, string @namespace, IDictionary<string, string> labels)
    {
        var selector = spec.NodeSelector is { Count: > 0 } s ? new Dictionary<string, string>(s, StringComparer.Ordinal) : new Dictionary<string, string>();
        var terms = spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms?
            .Select(t => new NodeSelectorTerm(
                (t.MatchExpressions ?? []).Select(Requirement).ToList(),
                (t.MatchFields ?? []).Select(Requirement).ToList()))
            .ToList() ?? [];
        var tolerations = (spec.Tolerations ?? []).Select(t => new Toleration(
            t.Key,
            string.Equals(t.OperatorProperty, "Exists", StringComparison.Ordinal) ? TolerationOperator.Exists : TolerationOperator.Equal,
            t.Value,
            EffectOf(t.Effect))).ToList();
        var ports = (spec.Containers ?? []).Concat(spec.InitContainers ?? [])
            .SelectMany(c => c.Ports ?? [])
            .Where(p => p.HostPort is > 0)
            .Select(p => new HostPort(p.Protocol ?? "TCP", p.HostIP ?? string.Empty, p.HostPort!.Value))
            .ToList();
        var podAffinity = PodAffinityOf(spec.Affinity, @namespace, labels);
        if (selector.Count == 0 && terms.Count == 0 && tolerations.Count == 0 && ports.Count == 0 && podAffinity.IsEmpty)
        {
            return PlacementConstraints.None;
        }

        return new PlacementConstraints(selector, terms, tolerations, ports, podAffinity);
    }

    /// <summary>Inter-pod affinity and anti-affinity, with the defaults and merges the API server applies.</summary>
    private static PodAffinity PodAffinityOf(V1Affinity? affinity, string @namespace, IDictionary<string, string> labels)
    {
        if (affinity?.PodAffinity is null && affinity?.PodAntiAffinity is null)
        {
            return PodAffinity.None;
        }

        var result = new PodAffinity(
            Terms(affinity.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, @namespace, labels),
            Terms(affinity.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, @namespace, labels),
            WeightedTerms(affinity.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, @namespace, labels),
            WeightedTerms(affinity.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, @namespace, labels));
        return result.IsEmpty ? PodAffinity.None : result;
    }

    private static List<PodAffinityTerm> Terms(IList<V1PodAffinityTerm>? terms, string @namespace, IDictionary<string, string> labels) =>
        (terms ?? []).Select(t => Term(t, @namespace, labels)).ToList();

    private static List<WeightedPodAffinityTerm> WeightedTerms(IList<V1WeightedPodAffinityTerm>? terms, string @namespace, IDictionary<string, string> labels) =>
        (terms ?? []).Where(t => t.PodAffinityTerm is not null).Select(t => new WeightedPodAffinityTerm(t.Weight, Term(t.PodAffinityTerm, @namespace, labels))).ToList();

    /// <summary>
    /// One term. Neither namespaces nor a namespace selector means the pod's own namespace; <c>matchLabelKeys</c>
    /// and <c>mismatchLabelKeys</c> become <c>key In (value)</c> and <c>key NotIn (value)</c> requirements with the
    /// pod's own label values (keys the pod does not have are ignored), as the API server merges them.
    /// </summary>
    private static PodAffinityTerm Term(V1PodAffinityTerm term, string @namespace, IDictionary<string, string> labels)
    {
        var selector = SelectorOf(term.LabelSelector);
        if (selector is not null && (term.MatchLabelKeys is { Count: > 0 } || term.MismatchLabelKeys is { Count: > 0 }))
        {
            var merged = selector.MatchExpressions.ToList();
            foreach (var key in term.MatchLabelKeys ?? [])
            {
                if (labels.TryGetValue(key, out var value))
                {
                    merged.Add(new LabelSelectorRequirement(key, SelectorOperator.In, [value]));
                }
            }

            foreach (var key in term.MismatchLabelKeys ?? [])
            {
                if (labels.TryGetValue(key, out var value))
                {
                    merged.Add(new LabelSelectorRequirement(key, SelectorOperator.NotIn, [value]));
                }
            }

            selector = selector with { MatchExpressions = merged };
        }

        var namespaceSelector = SelectorOf(term.NamespaceSelector);
        IReadOnlyList<string> namespaces = term.Namespaces is { Count: > 0 } listed ? [.. listed] : namespaceSelector is null ? [@namespace] : [];
        return new PodAffinityTerm(selector, namespaces, namespaceSelector, term.TopologyKey ?? string.Empty);
    }

    private static LabelSelector? SelectorOf(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var matchLabels = selector.MatchLabels is { Count: > 0 } pairs
            ? pairs.ToFrozenDictionary(StringComparer.Ordinal)
            : FrozenDictionary<string, string>.Empty;
        var expressions = (selector.MatchExpressions ?? [])
            .Select(e => new LabelSelectorRequirement(e.Key, Enum.TryParse<SelectorOperator>(e.OperatorProperty, ignoreCase: false, out var op) ? op : SelectorOperator.In, [.. e.Values ?? []]))
            .ToList();
        return new LabelSelector(matchLabels, expressions);
    }

    private static NodeSelectorRequirement Requirement(V1NodeSelectorRequirement r) =>
        new(r.Key, Enum.TryParse<SelectorOperator>(r.OperatorProperty, ignoreCase: false, out var op) ? op : SelectorOperator.In, [.. r.Values ?? []]);

    internal static TaintEffect? EffectOf(string? effect) => effect switch
    {
        "NoSchedule" => TaintEffect.NoSchedule,
        "PreferNoSchedule" => TaintEffect.PreferNoSchedule,
        "NoExecute" => TaintEffect.NoExecute,
        _ => null,
    };

    private static PodRole RoleOf(IDictionary<string, string> labels)
    {
        if (labels.TryGetValue(KaiConventions.KubeflowRoleLabel, out var role) && role is "master" or "launcher")
        {
            return PodRole.KubeflowLeader;
        }

        return labels.TryGetValue(KaiConventions.RayNodeTypeLabel, out var type) && type == "head" ? PodRole.RayHead : PodRole.Worker;
    }
}
