using k8s.Models;
using Kai.ApiServer.Admission;
using Kai.ApiServer.Tables;
using Kai.ApiServer.Validation;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Resources;

/// <summary>
/// The built-in resources served: what the scheduler components, kubectl and KubernetesClient need — pods (with
/// status, binding and eviction), nodes, namespaces, core and events.k8s.io events, config maps, priority
/// classes, leases, pod disruption budgets, DRA's device classes, resource slices, claims and claim templates, and
/// CustomResourceDefinitions.
/// </summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ApiResource> Create(KindRegistry kinds)
    {
        EnsureRegistered<V1CustomResourceDefinition>(kinds, KindScope.Cluster);
        EnsureRegistered<V1DeviceClass>(kinds, KindScope.Cluster);
        EnsureRegistered<V1ResourceSlice>(kinds, KindScope.Cluster);
        EnsureRegistered<Resourcev1ResourceClaim>(kinds, KindScope.Namespaced);
        EnsureRegistered<V1ResourceClaimTemplate>(kinds, KindScope.Namespaced);
        var coreEvents = kinds.Get<Corev1Event>();
        return [.. Core(kinds, coreEvents), .. Coordination(kinds), .. DynamicResources(kinds), .. PolicyEventsAndExtensions(kinds, coreEvents)];
    }

    /// <summary>Pods, nodes, namespaces, core events and config maps.</summary>
    private static ApiResource[] Core(KindRegistry kinds, KindInfo coreEvents) =>
    [
        new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod", Namespaced = true,
            ShortNames = ["po"], Categories = ["all"], Storage = kinds.Get<V1Pod>(), HasStatus = true, HasPodSubresources = true,
            Fields = Fields.Pods(), Table = new PodTable(), Schema = new TypedSchema(typeof(V1Pod)), Admission = new PodAdmission(),
        },
        new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "nodes", Singular = "node", Kind = "Node", Namespaced = false,
            ShortNames = ["no"], Storage = kinds.Get<V1Node>(), HasStatus = true,
            Fields = Fields.Nodes(), Table = new NodeTable(), Schema = new TypedSchema(typeof(V1Node)),
        },
        new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace", Namespaced = false,
            ShortNames = ["ns"], Storage = kinds.Get<V1Namespace>(), HasStatus = true,
            Fields = Fields.Namespaces(), Table = BuiltInTables.Namespaces, Schema = new TypedSchema(typeof(V1Namespace)), Admission = new NamespaceAdmission(),
        },
        new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "events", Singular = "event", Kind = "Event", Namespaced = true,
            ShortNames = ["ev"], Storage = coreEvents,
            Fields = Fields.Events(), Table = BuiltInTables.Events, Schema = new TypedSchema(typeof(Corev1Event)),
        },
        new ApiResource
        {
            Group = string.Empty, Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap", Namespaced = true,
            ShortNames = ["cm"], Storage = kinds.Get<V1ConfigMap>(),
            Fields = Fields.Metadata(namespaced: true), Table = BuiltInTables.ConfigMaps, Schema = new TypedSchema(typeof(V1ConfigMap)),
        },
    ];

    /// <summary>Priority classes and leases.</summary>
    private static ApiResource[] Coordination(KindRegistry kinds) =>
    [
        new ApiResource
        {
            Group = "scheduling.k8s.io", Version = "v1", Plural = "priorityclasses", Singular = "priorityclass", Kind = "PriorityClass", Namespaced = false,
            ShortNames = ["pc"], Storage = kinds.Get<V1PriorityClass>(),
            Fields = Fields.Metadata(namespaced: false), Table = BuiltInTables.PriorityClasses, Schema = new TypedSchema(typeof(V1PriorityClass)),
        },
        new ApiResource
        {
            Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease", Namespaced = true,
            Storage = kinds.Get<V1Lease>(),
            Fields = Fields.Metadata(namespaced: true), Table = BuiltInTables.Leases, Schema = new TypedSchema(typeof(V1Lease)),
        },
    ];

    /// <summary>DRA's device classes, resource slices, claims and claim templates.</summary>
    private static ApiResource[] DynamicResources(KindRegistry kinds) =>
    [
        new ApiResource
        {
            Group = "resource.k8s.io", Version = "v1", Plural = "deviceclasses", Singular = "deviceclass", Kind = "DeviceClass", Namespaced = false,
            Storage = kinds.Get<V1DeviceClass>(),
            Fields = Fields.Metadata(namespaced: false), Table = BuiltInTables.NameAndAge, Schema = new TypedSchema(typeof(V1DeviceClass)),
        },
        new ApiResource
        {
            Group = "resource.k8s.io", Version = "v1", Plural = "resourceslices", Singular = "resourceslice", Kind = "ResourceSlice", Namespaced = false,
            Storage = kinds.Get<V1ResourceSlice>(),
            Fields = Fields.Metadata(namespaced: false), Table = BuiltInTables.NameAndAge, Schema = new TypedSchema(typeof(V1ResourceSlice)),
        },
        new ApiResource
        {
            Group = "resource.k8s.io", Version = "v1", Plural = "resourceclaims", Singular = "resourceclaim", Kind = "ResourceClaim", Namespaced = true,
            Storage = kinds.Get<Resourcev1ResourceClaim>(), HasStatus = true,
            Fields = Fields.Metadata(namespaced: true), Table = BuiltInTables.ResourceClaims, Schema = new TypedSchema(typeof(Resourcev1ResourceClaim)),
        },
        new ApiResource
        {
            Group = "resource.k8s.io", Version = "v1", Plural = "resourceclaimtemplates", Singular = "resourceclaimtemplate", Kind = "ResourceClaimTemplate", Namespaced = true,
            Storage = kinds.Get<V1ResourceClaimTemplate>(),
            Fields = Fields.Metadata(namespaced: true), Table = BuiltInTables.NameAndAge, Schema = new TypedSchema(typeof(V1ResourceClaimTemplate)),
        },
    ];

    /// <summary>Disruption budgets, events.k8s.io events (a view of the core ones) and CustomResourceDefinitions.</summary>
    private static ApiResource[] PolicyEventsAndExtensions(KindRegistry kinds, KindInfo coreEvents) =>
    [
        new ApiResource
        {
            Group = "policy", Version = "v1", Plural = "poddisruptionbudgets", Singular = "poddisruptionbudget", Kind = "PodDisruptionBudget", Namespaced = true,
            ShortNames = ["pdb"], Storage = kinds.Get<V1PodDisruptionBudget>(), HasStatus = true,
            Fields = Fields.Metadata(namespaced: true), Table = BuiltInTables.PodDisruptionBudgets, Schema = new TypedSchema(typeof(V1PodDisruptionBudget)),
        },
        new ApiResource
        {
            Group = "events.k8s.io", Version = "v1", Plural = "events", Singular = "event", Kind = "Event", Namespaced = true,
            ShortNames = ["ev"], Storage = coreEvents, View = new EventsView(),
            Fields = Fields.EventsV1(), Table = BuiltInTables.Events, Schema = new TypedSchema(typeof(Eventsv1Event)),
        },
        new ApiResource
        {
            Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], Categories = ["api-extensions"],
            Storage = kinds.Get<V1CustomResourceDefinition>(), HasStatus = true,
            Fields = Fields.Metadata(namespaced: false), Table = BuiltInTables.CustomResourceDefinitions,
            Schema = new TypedSchema(typeof(V1CustomResourceDefinition)), Admission = new CustomResourceDefinitionAdmission(),
        },
    ];

    private static void EnsureRegistered<T>(KindRegistry kinds, KindScope scope)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        if (!kinds.TryGet(typeof(T), out _))
        {
            kinds.Register<T>(scope);
        }
    }
}
