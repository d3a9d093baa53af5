using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Dra;

/// <summary>
/// The Dynamic Resource Allocation objects the scheduler knows: device classes, ResourceSlices (devices per node)
/// and ResourceClaims, kept up to date from the change feed. Reads are cheap lookups; a slice change reports the
/// nodes whose devices changed.
/// </summary>
internal sealed class DraInventory
{
    private readonly Dictionary<string, V1DeviceClass> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1ResourceSlice> _slices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Resourcev1ResourceClaim> _claims = new(StringComparer.Ordinal);
    private readonly HashSet<string> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Gpus, int Devices)> _perNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _sliceNamesByNode = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _allNodesSliceNames = new(StringComparer.Ordinal);
    private (int Gpus, int Devices) _allNodes;
    private readonly Dictionary<string, BindRequest> _pendingBinds = new(StringComparer.Ordinal);

    /// <summary>Claims by <c>namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, Resourcev1ResourceClaim> Claims => _claims;

    public IReadOnlyDictionary<string, V1DeviceClass> Classes => _classes;

    public IEnumerable<V1ResourceSlice> Slices => _slices.Values;

    /// <summary>
    /// The claim allocations of a pod's bind request the binder has not carried out yet (by the pod's claim
    /// reference name), or null: the devices they name are taken although no claim status says so yet.
    /// </summary>
    public IList<ResourceClaimAllocation>? PendingAllocationsOf(string podNamespace, string podName) =>
        _pendingBinds.TryGetValue($"{podNamespace}/{podName}", out var request) ? request.Spec?.ResourceClaimAllocations : null;

    /// <summary>Stores or forgets a bind request whose claim allocations are still to be written (neither succeeded nor failed).</summary>
    public void SetBindRequest(BindRequest request, bool deleted)
    {
        var key = $"{request.Metadata.NamespaceProperty ?? "default"}/{request.Spec?.PodName ?? request.Metadata.Name}";
        var pending = !deleted && request.Spec?.ResourceClaimAllocations is { Count: > 0 }
            && request.Status?.Phase is not (BindRequestStatus.PhaseSucceeded or BindRequestStatus.PhaseFailed);
        if (pending)
        {
            _pendingBinds[key] = request;
            ClaimsChanged = true;
        }
        else if (_pendingBinds.Remove(key))
        {
            ClaimsChanged = true;
        }
    }

    /// <summary>Whether a ResourceClaimTemplate <c>namespace/name</c> exists.</summary>
    public bool HasTemplate(string key) => _templates.Contains(key);

    public void SetTemplate(V1ResourceClaimTemplate template, bool deleted)
    {
        var key = $"{template.Metadata.NamespaceProperty ?? "default"}/{template.Metadata.Name}";
        if (deleted)
        {
            _templates.Remove(key);
        }
        else
        {
            _templates.Add(key);
        }
    }

    /// <summary>Changes since the last read that affect every pod with claims (claims or classes changed).</summary>
    public bool ClaimsChanged { get; set; }

    /// <summary>GPUs (slices of a GPU driver) and devices of any driver the node's slices publish, slices for all nodes included.</summary>
    public (int Gpus, int Devices) DevicesOn(string node)
    {
        var own = _perNode.GetValueOrDefault(node);
        return (own.Gpus + _allNodes.Gpus, own.Devices + _allNodes.Devices);
    }

    /// <summary>
    /// The devices a node reaches, as the engine names them: those of its own slices, then those of slices for all
    /// nodes, each in slice-name and device order (the order claims get devices in).
    /// </summary>
    public IReadOnlyList<DraDevice> DeviceListOn(string node)
    {
        var names = _sliceNamesByNode.GetValueOrDefault(node);
        if ((names is null || names.Count == 0) && _allNodesSliceNames.Count == 0)
        {
            return [];
        }

        var devices = new List<DraDevice>();
        foreach (var name in (names ?? []).Concat(_allNodesSliceNames))
        {
            var spec = _slices[name].Spec;
            var gpu = DraNames.IsGpu(spec?.Driver);
            foreach (var device in spec?.Devices ?? [])
            {
                devices.Add(new DraDevice(spec!.Driver, spec.Pool?.Name ?? node, device.Name, gpu));
            }
        }

        return devices;
    }

    /// <summary>The most devices (GPUs, or of any driver) one node has.</summary>
    public (int Gpus, int Devices) MostOnOneNode()
    {
        var gpus = 0;
        var devices = 0;
        foreach (var (g, d) in _perNode.Values)
        {
            gpus = Math.Max(gpus, g);
            devices = Math.Max(devices, d);
        }

        return (gpus + _allNodes.Gpus, devices + _allNodes.Devices);
    }

    public void SetClass(V1DeviceClass deviceClass, bool deleted)
    {
        if (deleted)
        {
            _classes.Remove(deviceClass.Metadata.Name);
        }
        else
        {
            _classes[deviceClass.Metadata.Name] = deviceClass;
        }

        ClaimsChanged = true;
    }

    public void SetClaim(Resourcev1ResourceClaim claim, bool deleted)
    {
        var key = KeyOf(claim);
        if (deleted)
        {
            _claims.Remove(key);
        }
        else
        {
            _claims[key] = claim;
        }

        ClaimsChanged = true;
    }

    /// <summary>Stores or removes a slice; returns the nodes whose devices changed (null: every node).</summary>
    public IReadOnlyList<string>? SetSlice(V1ResourceSlice slice, bool deleted)
    {
        var name = slice.Metadata.Name;
        var touched = new List<string>();
        if (_slices.Remove(name, out var previous))
        {
            if (Count(previous, -1) is { } node)
            {
                touched.Add(node);
            }
            else
            {
                touched = null;
            }
        }

        if (!deleted)
        {
            _slices[name] = slice;
            if (Count(slice, +1) is { } node)
            {
                touched?.Add(node);
            }
            else
            {
                touched = null;
            }
        }

        ClaimsChanged = true;
        return touched;
    }

    public static string KeyOf(Resourcev1ResourceClaim claim) => $"{claim.Metadata.NamespaceProperty ?? "default"}/{claim.Metadata.Name}";

    /// <summary>Adds (or removes) a slice's devices to its node's counts; returns the node, or null for a slice of all nodes.</summary>
    private string? Count(V1ResourceSlice slice, int sign)
    {
        var devices = (slice.Spec?.Devices?.Count ?? 0) * sign;
        var gpus = DraNames.IsGpu(slice.Spec?.Driver) ? devices : 0;
        if (slice.Spec?.NodeName is { Length: > 0 } node)
        {
            if (!_sliceNamesByNode.TryGetValue(node, out var names))
            {
                names = new SortedSet<string>(StringComparer.Ordinal);
                _sliceNamesByNode[node] = names;
            }

            _ = sign > 0 ? names.Add(slice.Metadata.Name) : names.Remove(slice.Metadata.Name);
            var (g, d) = _perNode.GetValueOrDefault(node);
            _perNode[node] = (g + gpus, d + devices);
            return node;
        }

        if (slice.Spec?.AllNodes == true)
        {
            _ = sign > 0 ? _allNodesSliceNames.Add(slice.Metadata.Name) : _allNodesSliceNames.Remove(slice.Metadata.Name);
            _allNodes = (_allNodes.Gpus + gpus, _allNodes.Devices + devices);
        }

        return null;
    }
}
