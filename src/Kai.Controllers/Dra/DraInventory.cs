using k8s.Models;

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
    private readonly Dictionary<string, (int Gpus, int Devices)> _perNode = new(StringComparer.Ordinal);
    private (int Gpus, int Devices) _allNodes;

    /// <summary>Claims by <c>namespace/name</c>.</summary>
    public IReadOnlyDictionary<string, Resourcev1ResourceClaim> Claims => _claims;

    public IReadOnlyDictionary<string, V1DeviceClass> Classes => _classes;

    public IEnumerable<V1ResourceSlice> Slices => _slices.Values;

    /// <summary>Changes since the last read that affect every pod with claims (claims or classes changed).</summary>
    public bool ClaimsChanged { get; set; }

    /// <summary>GPUs (slices of a GPU driver) and devices of any driver the node's slices publish, slices for all nodes included.</summary>
    public (int Gpus, int Devices) DevicesOn(string node)
    {
        var own = _perNode.GetValueOrDefault(node);
        return (own.Gpus + _allNodes.Gpus, own.Devices + _allNodes.Devices);
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
            var (g, d) = _perNode.GetValueOrDefault(node);
            _perNode[node] = (g + gpus, d + devices);
            return node;
        }

        if (slice.Spec?.AllNodes == true)
        {
            _allNodes = (_allNodes.Gpus + gpus, _allNodes.Devices + devices);
        }

        return null;
    }
}
