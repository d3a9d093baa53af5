using k8s.Models;

namespace Kai.Controllers.Dra;

/// <summary>
/// Picks the devices of a claim on its pod's node (Kubernetes' structured allocation, for the requests this scheduler
/// supports: exact counts or all devices of a selector-less class): devices of the node's ResourceSlices, and of
/// slices for all nodes, that no other allocated claim holds, in slice and device order; GPU classes take devices of
/// GPU drivers. Devices it hands out are remembered, so claims allocated in one write-back never share a device.
/// </summary>
internal sealed class ClaimAllocator
{
    private readonly IReadOnlyList<V1ResourceSlice> _slices;
    private readonly HashSet<(string Driver, string Pool, string Device)> _used = [];

    public ClaimAllocator(IEnumerable<V1ResourceSlice> slices, IEnumerable<Resourcev1ResourceClaim> claims)
    {
        _slices = [.. slices.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)];
        foreach (var claim in claims)
        {
            foreach (var result in claim.Status?.Allocation?.Devices?.Results ?? [])
            {
                _used.Add((result.Driver, result.Pool, result.Device));
            }
        }
    }

    /// <summary>The allocation of <paramref name="claim"/> on <paramref name="node"/>, or null when the node lacks the devices.</summary>
    public V1AllocationResult? Allocate(Resourcev1ResourceClaim claim, string node)
    {
        var results = new List<V1DeviceRequestAllocationResult>();
        var taken = new List<(string, string, string)>();
        foreach (var request in claim.Spec?.Devices?.Requests ?? [])
        {
            if (request.Exactly is not { } exactly)
            {
                return Undo(taken);
            }

            var all = string.Equals(exactly.AllocationMode, "All", StringComparison.Ordinal);
            var need = all ? int.MaxValue : (int)Math.Max(1, exactly.Count ?? 1);
            var gpu = DraNames.IsGpu(exactly.DeviceClassName);
            foreach (var slice in _slices)
            {
                var spec = slice.Spec;
                if (need == 0 || spec is null || !(spec.NodeName == node || spec.AllNodes == true) || (gpu && !DraNames.IsGpu(spec.Driver)))
                {
                    continue;
                }

                foreach (var device in spec.Devices ?? [])
                {
                    var id = (spec.Driver, spec.Pool?.Name ?? node, device.Name);
                    if (need == 0 || !_used.Add(id))
                    {
                        continue;
                    }

                    taken.Add(id);
                    results.Add(new V1DeviceRequestAllocationResult { Request = request.Name, Driver = id.Item1, Pool = id.Item2, Device = id.Item3 });
                    need--;
                }
            }

            if (all ? !results.Any(r => r.Request == request.Name) : need > 0)
            {
                return Undo(taken);
            }
        }

        return new V1AllocationResult
        {
            Devices = new V1DeviceAllocationResult { Results = results },
            NodeSelector = new V1NodeSelector
            {
                NodeSelectorTerms = [new V1NodeSelectorTerm { MatchFields = [new V1NodeSelectorRequirement { Key = "metadata.name", OperatorProperty = "In", Values = [node] }] }],
            },
        };
    }

    private V1AllocationResult? Undo(List<(string, string, string)> taken)
    {
        foreach (var id in taken)
        {
            _used.Remove(id);
        }

        return null;
    }
}
