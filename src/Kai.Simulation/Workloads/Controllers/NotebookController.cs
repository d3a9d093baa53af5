using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Kubeflow's notebook controller, for a simulation: a Notebook runs as a StatefulSet of the same name with one pod
/// from <c>spec.template</c> (none while the Notebook carries the <c>kubeflow-resource-stopped</c> annotation),
/// labelled <c>notebook-name</c>.
/// </summary>
internal sealed class NotebookController : IWorkloadController
{
    public const string StoppedAnnotation = "kubeflow-resource-stopped";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.Notebook];

    public async ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var notebook = (GenericObject)owner;
        var view = ObjectView.Of(notebook, context.Cluster.Kinds);
        var replicas = notebook.Metadata.Annotations?.ContainsKey(StoppedAnnotation) == true ? 0 : 1;
        var set = context.Children<V1StatefulSet>(notebook).FirstOrDefault();
        if (set is null)
        {
            var template = view.At("spec", "template") is { } t ? Json.Read<V1PodTemplateSpec>(t) : new V1PodTemplateSpec();
            var labels = new Dictionary<string, string> { ["statefulset"] = notebook.Metadata.Name, ["notebook-name"] = notebook.Metadata.Name };
            var metadata = template.Metadata ?? new V1ObjectMeta();
            await context.CreateAsync(new V1StatefulSet
            {
                ApiVersion = "apps/v1",
                Kind = "StatefulSet",
                Metadata = new V1ObjectMeta
                {
                    Name = notebook.Metadata.Name,
                    NamespaceProperty = notebook.Metadata.NamespaceProperty,
                    OwnerReferences = [PodTemplates.ControllerReference(notebook, WorkloadKinds.Notebook)],
                },
                Spec = new V1StatefulSetSpec
                {
                    Replicas = replicas,
                    ServiceName = notebook.Metadata.Name,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["statefulset"] = notebook.Metadata.Name } },
                    Template = template with { Metadata = metadata with { Labels = PodTemplates.Merge(metadata.Labels, labels) } },
                },
            }).ConfigureAwait(false);
            return;
        }

        if (set.Spec.Replicas != replicas)
        {
            await context.ReplaceAsync(set with { Spec = set.Spec with { Replicas = replicas } }).ConfigureAwait(false);
        }

        var status = WorkloadContext.StatusOf(notebook);
        status["readyReplicas"] = set.Status?.ReadyReplicas ?? 0;
        await context.WriteStatusAsync(notebook, status).ConfigureAwait(false);
    }
}
