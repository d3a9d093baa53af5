using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>Turns a bind decision into a BindRequest for the binder, KAI's way (selected node, received GPUs).</summary>
internal sealed class BindRequestWriter(ICluster cluster)
{
    public async ValueTask WriteAsync(SchedulingDecision decision, CancellationToken cancellationToken)
    {
        var request = BindRequestFor(decision);
        try
        {
            await cluster.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            // A failed request from an earlier attempt: replace it with this decision.
            await cluster.DeleteAsync<BindRequest>(decision.Pod.Namespace, decision.Pod.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            await cluster.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    private static BindRequest BindRequestFor(SchedulingDecision decision)
    {
        var gpu = decision.Gpu;
        var node = decision.Node!.Value.Value;
        return new BindRequest
        {
            Metadata = new V1ObjectMeta
            {
                Name = decision.Pod.Name,
                NamespaceProperty = decision.Pod.Namespace,
                Labels = new Dictionary<string, string> { [KaiConventions.SelectedNodeLabel] = node },

                // Owned by the pod, so it goes when the pod goes.
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = decision.Pod.Name, Uid = decision.PodUid }],
            },
            Spec = new BindRequestSpec
            {
                PodName = decision.Pod.Name,
                SelectedNode = node,
                SelectedGPUGroups = gpu.Kind == GpuGrantKind.Fraction ? [.. gpu.Groups] : null,
                ReceivedResourceType = gpu.Kind.ToString(),
                ReceivedGPU = new ReceivedGpu
                {
                    Count = gpu.Count,
                    Portion = (gpu.PortionMilli / (double)ResourceVector.MilliPerGpu).ToString("0.00", CultureInfo.InvariantCulture),
                },
            },
        };
    }
}
