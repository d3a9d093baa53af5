using System.Globalization;
using System.Runtime.InteropServices;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Scheduling.WriteBack;

/// <summary>Turns bind decisions into BindRequests for the binder, KAI's way (selected node, received GPUs).</summary>
/// <param name="cluster">Where the requests are written.</param>
/// <param name="compact">
/// Whether a batch's requests share their labels and received GPUs and are handed over to the cluster
/// (<see cref="CreateOwnership.HandedOver"/>); false writes each with its own parts, copied by the cluster, as before
/// (kept for the property test that both store the same).
/// </param>
internal sealed class BindRequestWriter(ICluster cluster, bool compact = true)
{
    /// <summary>The text of a GPU portion ("0.50"), by thousandths of a GPU: a handful of values, formatted once each.</summary>
    private static readonly string?[] PortionTexts = new string?[ResourceVector.MilliPerGpu + 1];

    /// <param name="decision">A bind decision.</param>
    /// <param name="claims">The pod's DRA claims allocated on its node, by the pod's claim name (null when it has none).</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    public async ValueTask WriteAsync(SchedulingDecision decision, IList<ResourceClaimAllocation>? claims, CancellationToken cancellationToken)
    {
        try
        {
            await cluster.CreateAsync(BindRequestFor(decision, claims), cancellationToken).ConfigureAwait(false);
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.AlreadyExists)
        {
            await ReplaceAsync(decision, claims, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes the bind requests of many decisions in one batch (<see cref="ICluster.CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/>), in order.
    /// A request left by an earlier attempt is replaced; any other refusal is reported to <paramref name="refused"/>
    /// and the others go on.
    /// </summary>
    public async ValueTask WriteManyAsync(
        IReadOnlyList<SchedulingDecision> decisions,
        Func<SchedulingDecision, IList<ResourceClaimAllocation>?> claimsOf,
        Action<SchedulingDecision, ClusterException> refused,
        CancellationToken cancellationToken)
    {
        var requests = new BindRequest[decisions.Count];
        var shared = compact ? new SharedParts() : null;
        for (var i = 0; i < requests.Length; i++)
        {
            requests[i] = BindRequestFor(decisions[i], claimsOf(decisions[i]), shared);
        }

        // The requests are new and this writer keeps none of them: the cluster may store them as they are.
        var outcomes = await cluster.CreateManyAsync(requests, compact ? CreateOwnership.HandedOver : CreateOwnership.Copied, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i].Error is not { } error)
            {
                continue;
            }

            try
            {
                if (error.Reason != ClusterErrorReason.AlreadyExists)
                {
                    throw error;
                }

                await ReplaceAsync(decisions[i], claimsOf(decisions[i]), cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (!cancellationToken.IsCancellationRequested)
            {
                refused(decisions[i], e);
            }
        }
    }

    /// <summary>A failed request from an earlier attempt: replaces it with this decision's.</summary>
    private async ValueTask ReplaceAsync(SchedulingDecision decision, IList<ResourceClaimAllocation>? claims, CancellationToken cancellationToken)
    {
        await cluster.DeleteAsync<BindRequest>(decision.Pod.Namespace, decision.Pod.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        await cluster.CreateAsync(BindRequestFor(decision, claims), cancellationToken).ConfigureAwait(false);
    }

    /// <param name="decision">A bind decision.</param>
    /// <param name="claims">The pod's DRA claims allocated on its node (null when it has none).</param>
    /// <param name="shared">Parts shared by the requests of one batch (null: every request gets its own).</param>
    private static BindRequest BindRequestFor(SchedulingDecision decision, IList<ResourceClaimAllocation>? claims, SharedParts? shared = null)
    {
        var gpu = decision.Gpu;
        var node = decision.Node!.Value.Value;

        // The new request's own metadata and spec are filled in, not replaced: two objects fewer per pod.
        var request = new BindRequest();
        var metadata = request.Metadata;
        metadata.Name = decision.Pod.Name;
        metadata.NamespaceProperty = decision.Pod.Namespace;
        metadata.Labels = shared?.LabelsFor(node) ?? SharedParts.NewLabels(node);

        // Owned by the pod, so it goes when the pod goes (a List, so code that later adds an owner does not meet a fixed-size array).
        metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = decision.Pod.Name, Uid = decision.PodUid }];
        var spec = request.Spec;
        spec.PodName = decision.Pod.Name;
        spec.SelectedNode = node;
        spec.SelectedGPUGroups = gpu.Kind == GpuGrantKind.Fraction ? [.. gpu.Groups] : null;
        spec.ReceivedResourceType = KindText(gpu.Kind);
        spec.ReceivedGPU = shared?.ReceivedGpuFor(gpu.Count, gpu.PortionMilli) ?? SharedParts.NewReceivedGpu(gpu.Count, gpu.PortionMilli);
        spec.ResourceClaimAllocations = claims;
        return request;
    }

    /// <summary>
    /// What the bind requests of one batch have alike, made once: the selected-node labels of each node and the
    /// received GPUs of each grant. Stored objects are never mutated (<see cref="ICluster"/>'s contract; a writer
    /// edits a copy), so sharing them changes what readers see in nothing but memory.
    /// </summary>
    private sealed class SharedParts
    {
        private readonly Dictionary<string, Dictionary<string, string>> _labels = new(StringComparer.Ordinal);
        private readonly Dictionary<(int Count, long PortionMilli), ReceivedGpu> _received = [];

        public static Dictionary<string, string> NewLabels(string node) => new(1) { [KaiConventions.SelectedNodeLabel] = node };

        public static ReceivedGpu NewReceivedGpu(int count, long portionMilli) => new() { Count = count, Portion = PortionText(portionMilli) };

        public Dictionary<string, string> LabelsFor(string node)
        {
            ref var labels = ref CollectionsMarshal.GetValueRefOrAddDefault(_labels, node, out _);
            return labels ??= NewLabels(node);
        }

        public ReceivedGpu ReceivedGpuFor(int count, long portionMilli)
        {
            ref var received = ref CollectionsMarshal.GetValueRefOrAddDefault(_received, (count, portionMilli), out _);
            return received ??= NewReceivedGpu(count, portionMilli);
        }
    }

    private static string KindText(GpuGrantKind kind) => kind switch
    {
        GpuGrantKind.Regular => nameof(GpuGrantKind.Regular),
        GpuGrantKind.Fraction => nameof(GpuGrantKind.Fraction),
        GpuGrantKind.MigInstance => nameof(GpuGrantKind.MigInstance),
        _ => kind.ToString(),
    };

    private static string PortionText(long milli)
    {
        static string Format(long m) => (m / (double)ResourceVector.MilliPerGpu).ToString("0.00", CultureInfo.InvariantCulture);
        if (milli is < 0 or > ResourceVector.MilliPerGpu)
        {
            return Format(milli);
        }

        // A benign race: two threads may format the same value; both store the same text.
        return PortionTexts[milli] ??= Format(milli);
    }
}
