using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Manifests;
using Kai.Cluster.Port;

namespace Kai.Controllers.Admission;

/// <summary>
/// KAI's admission webhooks as one reviewer: pods (<c>/mutate--v1-pod</c> on create, <c>/validate--v1-pod</c> on
/// create and update, pods of <see cref="KaiAdmissionOptions.SchedulerName"/> only), Queues
/// (<c>/validate-scheduling-run-ai-v2-queue</c>) and PodGroups (<c>/validate-scheduling-run-ai-v2alpha2-podgroup</c>).
/// The embedded cluster calls it on every client write (<see cref="IEmbeddedAdmission"/>); <c>kai run</c> serves it
/// over HTTPS to a real API server.
/// </summary>
public sealed class KaiAdmission : IEmbeddedAdmission
{
    /// <summary>The name of the validating webhook configuration, which the API server names in a denial.</summary>
    public const string ValidatingConfigurationName = "validating-kai-admission";

    /// <summary>The name of the mutating webhook configuration.</summary>
    public const string MutatingConfigurationName = "mutating-kai-admission";

    private readonly KaiAdmissionOptions _options;
    private readonly PodMutation _mutation;

    public KaiAdmission(KaiAdmissionOptions? options = null)
    {
        _options = options ?? new KaiAdmissionOptions();
        _mutation = new PodMutation(_options);
    }

    /// <summary>
    /// Reviews a create (<paramref name="old"/> null) or update of <paramref name="obj"/>, which is not changed;
    /// a mutated object is a copy. <paramref name="storedQueues"/> is read only for Queues.
    /// </summary>
    public AdmissionDecision Review(
        IKubernetesObject<V1ObjectMeta> obj,
        IKubernetesObject<V1ObjectMeta>? old,
        Func<IReadOnlyList<Queue>> storedQueues)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(storedQueues);
        return obj switch
        {
            V1Pod pod => ReviewPod(pod, isCreate: old is null),
            Queue queue => Judge(queue, AdmissionChecks.Queue(queue), QueueTreeRules.Check(queue, storedQueues())),
            PodGroup podGroup => Judge(podGroup, AdmissionChecks.PodGroup(podGroup), []),
            _ => new AdmissionDecision(true, obj, [], [], Mutated: false),
        };
    }

    /// <inheritdoc />
    public IKubernetesObject<V1ObjectMeta> Admit(EmbeddedCluster cluster, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var decision = Review(obj, old, () => [.. cluster.List(cluster.Kinds.Get<Queue>()).Items.OfType<Queue>()]);
        if (!decision.Allowed)
        {
            throw new ClusterException(ClusterErrorReason.Invalid, $"admission webhook \"{ValidatingConfigurationName}\" denied the request: {decision.Message}");
        }

        return decision.Object;
    }

    private AdmissionDecision ReviewPod(V1Pod pod, bool isCreate)
    {
        if (!string.Equals(pod.Spec?.SchedulerName, _options.SchedulerName, StringComparison.Ordinal))
        {
            return new AdmissionDecision(true, pod, [], [], Mutated: false);
        }

        var errors = new List<string>();
        if (!_options.GpuSharingEnabled && PodMutation.AsksForGpuShare(pod))
        {
            errors.Add(
                $"pod \"{pod.Metadata.Name ?? pod.Metadata.GenerateName}\" asks for a GPU share (annotation gpu-fraction or gpu-memory), but GPU sharing is disabled; " +
                "ask for whole GPUs (nvidia.com/gpu) or install with global.gpuSharing=true");
        }

        var findings = AdmissionChecks.Pod(pod);
        errors.AddRange(findings.Errors);
        if (errors.Count > 0 || !isCreate)
        {
            return new AdmissionDecision(errors.Count == 0, pod, errors, findings.Warnings, Mutated: false);
        }

        var copy = MutableCopy(pod);
        return _mutation.Apply(copy)
            ? new AdmissionDecision(true, copy, [], findings.Warnings, Mutated: true)
            : new AdmissionDecision(true, pod, [], findings.Warnings, Mutated: false);
    }

    /// <summary>
    /// A copy the mutation may change: a deep one for a pod asking for a GPU share (its containers gain environment and
    /// its metadata an annotation), else only the top level of the pod and its spec (the runtime class is the only
    /// change), so the pods of one template keep their template's lists and the embedded store shares one spec among
    /// them (docs/performance.md, "The 140,000-pod peak, second look").
    /// </summary>
    private static V1Pod MutableCopy(V1Pod pod) =>
        PodMutation.AsksForGpuShare(pod)
            ? KubeObjects.Clone(pod)
            : pod with { Spec = pod.Spec is null ? null : pod.Spec with { } };

    private static AdmissionDecision Judge(IKubernetesObject<V1ObjectMeta> obj, AdmissionFindings findings, IEnumerable<string> more)
    {
        var errors = findings.Errors.Concat(more).ToList();
        return new AdmissionDecision(errors.Count == 0, obj, errors, findings.Warnings, Mutated: false);
    }
}
