using System.Text.Json;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Cluster.Manifests;

/// <summary>
/// The kinds the scheduler reads from manifests, by apiVersion and kind; keys and scopes come from <see cref="KaiKinds"/>.
/// Workload kinds without a C# type (<see cref="WorkloadDefinitions"/>) are read as <see cref="GenericObject"/>s, under
/// their storage version whichever served version the manifest names.
/// </summary>
internal static class ManifestKinds
{
    private static readonly KindRegistry Registry = KaiKinds.CreateRegistry();

    public static IReadOnlyList<ManifestKind> All { get; } =
    [
        Of<V1Node>(NodeRules.ValidateRaw),
        Of<V1Pod>(PodRules.ValidateRaw, Typed<V1Pod>(PodRules.Validate)),
        Of<V1PriorityClass>(PriorityClassRules.ValidateRaw),
        Of<V1Namespace>(),

        // Read so that the Eviction API (kai run/serve/simulate with --eviction api) has the budgets to honour.
        Of<V1PodDisruptionBudget>(),
        Of<Queue>(validateTyped: Typed<Queue>(QueueRules.Validate)),
        Of<PodGroup>(validateTyped: Typed<PodGroup>(PodGroupRules.Validate)),
        Of<BindRequest>(),
        Of<Topology>(validateTyped: Typed<Topology>(TopologyRules.Validate)),
        Of<V1DeviceClass>(),
        Of<V1ResourceSlice>(),
        Of<Resourcev1ResourceClaim>(),
        Of<V1ResourceClaimTemplate>(),
        Of<V1Job>(WorkloadRules.RawRulesFor("Job"), Typed<V1Job>(WorkloadRules.ValidateJob)),
        Of<V1CronJob>(WorkloadRules.RawRulesFor("CronJob"), Typed<V1CronJob>(WorkloadRules.ValidateCronJob)),
        Of<V1Deployment>(WorkloadRules.RawRulesFor("Deployment"), Typed<V1Deployment>((d, c) => WorkloadRules.ValidateSelector(d.Spec?.Selector, d.Spec?.Template, "Deployment", c))),
        Of<V1ReplicaSet>(WorkloadRules.RawRulesFor("ReplicaSet"), Typed<V1ReplicaSet>((r, c) => WorkloadRules.ValidateSelector(r.Spec?.Selector, r.Spec?.Template, "ReplicaSet", c))),
        Of<V1StatefulSet>(WorkloadRules.RawRulesFor("StatefulSet"), Typed<V1StatefulSet>((s, c) => WorkloadRules.ValidateSelector(s.Spec?.Selector, s.Spec?.Template, "StatefulSet", c))),
        .. Registry.All.Where(k => k.IsGeneric).Select(k => new ManifestKind(k, ReadGeneric(k.Key), WorkloadRules.RawRulesFor(k.Key.Kind))),
    ];

    /// <summary>The handled kind for <paramref name="apiVersion"/> and <paramref name="kind"/>, also for another served version of a workload kind.</summary>
    public static ManifestKind? Find(string apiVersion, string kind) =>
        All.FirstOrDefault(k => k.ApiVersion == apiVersion && k.Kind == kind)
        ?? (WorkloadDefinitions.TryGetStorageKey(apiVersion, kind, out var storage) ? All.FirstOrDefault(k => k.Key == storage) : null);

    /// <summary>A handled kind of the same name under another apiVersion, for a "did you mean" hint.</summary>
    public static ManifestKind? FindByKindName(string kind) => All.FirstOrDefault(k => k.Kind == kind);

    private static ManifestKind Of<T>(Action<ValidationContext>? validateRaw = null, Action<IKubernetesObject<V1ObjectMeta>, ValidationContext>? validateTyped = null)
        where T : IKubernetesObject<V1ObjectMeta> =>
        new(Registry.Get<T>(), Read<T>, validateRaw, validateTyped);

    private static IKubernetesObject<V1ObjectMeta> Read<T>(string yaml, bool strict)
        where T : IKubernetesObject<V1ObjectMeta> =>
        KubernetesYaml.Deserialize<T>(yaml, strict);

    // A custom resource keeps every field; it is stored under its storage version.
    private static Func<string, bool, IKubernetesObject<V1ObjectMeta>> ReadGeneric(KindKey storage) => (yaml, _) =>
    {
        var json = YamlJson.Convert(YamlNodes.ParseSingle(yaml)) ?? throw new JsonException("the document is empty");
        var obj = KubernetesJson.Deserialize<GenericObject>(json.ToJsonString()) ?? throw new JsonException("the document is not an object");
        obj.ApiVersion = storage.ApiVersion;
        obj.Kind = storage.Kind;
        return obj;
    };

    private static Action<IKubernetesObject<V1ObjectMeta>, ValidationContext> Typed<T>(Action<T, ValidationContext> rule) =>
        (obj, context) => rule((T)obj, context);
}
