using k8s.Models;
using Kai.Cluster.Crds;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// The checks KAI's webhooks make, on objects that did not come from a file: the same rules manifests are loaded
/// with (<see cref="GpuSharingRules"/>, <see cref="QueueRules"/>, <see cref="PodGroupRules"/>), so a file, the
/// embedded cluster and the admission webhooks judge an object alike.
/// </summary>
public static class AdmissionChecks
{
    /// <summary>The GPU-sharing request rules of KAI's pod webhook (pods of kai-scheduler only).</summary>
    public static AdmissionFindings Pod(V1Pod pod) => Run(context => GpuSharingRules.Check(pod, context));

    /// <summary>KAI's Queue webhook: a queue needs <c>spec.resources</c>; odd quota, limit and weight values are warnings.</summary>
    public static AdmissionFindings Queue(Queue queue) => Run(context => QueueRules.Validate(queue, context));

    /// <summary>KAI's PodGroup webhook and CRD: unique lowercase subgroup names, existing parents, no cycles, sane counts.</summary>
    public static AdmissionFindings PodGroup(PodGroup podGroup) => Run(context => PodGroupRules.Validate(podGroup, context));

    private static AdmissionFindings Run(Action<ValidationContext> check)
    {
        // A context on an empty document: the rules report paths only in their messages, which is what admission shows.
        var context = new ValidationContext(new YamlMappingNode(), 0);
        check(context);
        return new AdmissionFindings(
            [.. context.Issues.Where(i => i.Severity == DiagnosticSeverity.Error).Select(i => i.Message)],
            [.. context.Issues.Where(i => i.Severity == DiagnosticSeverity.Warning).Select(i => i.Message)]);
    }
}
