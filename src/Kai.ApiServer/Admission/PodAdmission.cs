using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;

namespace Kai.ApiServer.Admission;

/// <summary>
/// What the API server does to pods: the defaults of the pod spec (scheduler name, restart and DNS policy,
/// grace period, image pull policy, …), the Priority admission plugin (<c>spec.priority</c> from the
/// PriorityClass, or the global default) and, on update, the rule that a pod's spec is immutable apart from
/// images, active deadline, tolerations, grace period and scheduling gates.
/// </summary>
internal sealed class PodAdmission : IAdmission
{
    private const string ImmutableMessage =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public void Admit(ServerContext context, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old)
    {
        var pod = (V1Pod)obj;
        pod.Spec ??= new V1PodSpec();
        ApplyDefaults(pod.Spec);
        if (old is not V1Pod stored)
        {
            ResolvePriority(context, pod);
            return;
        }

        // Clients that leave out what admission filled in at create keep it. Pods stored without passing through
        // admission (seeded from manifests) are compared as the API server would read them back: defaulted.
        pod.Spec.Priority ??= stored.Spec?.Priority;
        pod.Spec.PreemptionPolicy ??= stored.Spec?.PreemptionPolicy;
        var before = KubeJson.Deserialize<V1PodSpec>(KubeJson.ToNode(stored.Spec ?? new V1PodSpec()));
        ApplyDefaults(before);
        before.Priority ??= pod.Spec.Priority;
        before.PreemptionPolicy ??= pod.Spec.PreemptionPolicy;
        if (!JsonNode.DeepEquals(MutableFieldsRemoved(before), MutableFieldsRemoved(pod.Spec)))
        {
            var name = pod.Metadata.Name;
            throw ApiException.Invalid(
                $"Pod \"{name}\" is invalid: spec: Forbidden: {ImmutableMessage}",
                new V1StatusDetails { Name = name, Kind = "Pod", Causes = [new V1StatusCause { Reason = "FieldValueForbidden", Field = "spec", Message = "Forbidden: " + ImmutableMessage }] });
        }
    }

    private static void ApplyDefaults(V1PodSpec spec)
    {
        spec.SchedulerName ??= "default-scheduler";
        spec.RestartPolicy ??= "Always";
        spec.DnsPolicy ??= "ClusterFirst";
        spec.TerminationGracePeriodSeconds ??= 30;
        spec.SecurityContext ??= new V1PodSecurityContext();
        spec.EnableServiceLinks ??= true;
        foreach (var container in (spec.Containers ?? []).Concat(spec.InitContainers ?? []))
        {
            container.TerminationMessagePath ??= "/dev/termination-log";
            container.TerminationMessagePolicy ??= "File";
            container.ImagePullPolicy ??= PullPolicyFor(container.Image);
            container.Resources ??= new V1ResourceRequirements();
            foreach (var port in container.Ports ?? [])
            {
                port.Protocol ??= "TCP";
            }
        }
    }

    // Images tagged latest or untagged are pulled always, others if not present.
    private static string PullPolicyFor(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        return colon < 0 || image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }

    private static void ResolvePriority(ServerContext context, V1Pod pod)
    {
        var spec = pod.Spec;
        var classes = context.Cluster.List(context.Cluster.Kinds.Get<V1PriorityClass>()).Items.Cast<V1PriorityClass>().ToList();
        V1PriorityClass? chosen;
        if (!string.IsNullOrEmpty(spec.PriorityClassName))
        {
            chosen = classes.Find(c => c.Metadata.Name == spec.PriorityClassName)
                ?? throw ApiException.Forbidden(
                    $"pods \"{pod.Metadata.Name ?? pod.Metadata.GenerateName}\" is forbidden: no PriorityClass with name {spec.PriorityClassName} was found",
                    new V1StatusDetails { Name = pod.Metadata.Name, Kind = "pods" });
        }
        else
        {
            chosen = classes.Find(c => c.GlobalDefault == true);
            spec.PriorityClassName = chosen?.Metadata.Name;
        }

        spec.Priority = chosen?.Value ?? 0;
        spec.PreemptionPolicy ??= chosen?.PreemptionPolicy ?? "PreemptLowerPriority";
    }

    private static JsonObject MutableFieldsRemoved(V1PodSpec? spec)
    {
        var json = KubeJson.ToNode(spec ?? new V1PodSpec());
        foreach (var field in new[] { "activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds", "schedulingGates" })
        {
            json.Remove(field);
        }

        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (json[list] is JsonArray containers)
            {
                foreach (var container in containers.OfType<JsonObject>())
                {
                    container.Remove("image");
                }
            }
        }

        return json;
    }
}
