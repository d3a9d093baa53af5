using System.Collections.Frozen;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>A pending pod of this scheduler in namespace <see cref="A.Namespace"/>, requesting one pod slot only.</summary>
internal sealed class PodBuilder(string name)
{
    private readonly Dictionary<string, string> _nodeSelector = new(StringComparer.Ordinal);
    private readonly List<NodeSelectorTerm> _affinity = [];
    private readonly List<Toleration> _tolerations = [];
    private readonly List<HostPort> _hostPorts = [];
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly List<(int Weight, bool Anti, bool Required, string TopologyKey, string Selector, string[] Namespaces)> _podTerms = [];
    private string? _nominatedNode;
    private string _namespace = A.Namespace;
    private string? _group;
    private string? _subGroup;
    private long _cpu;
    private long _memory;
    private long _gpu;
    private GpuRequest _share;
    private string[] _gpuGroups = [];
    private readonly List<PodClaim> _claims = [];
    private PodStatus _status = PodStatus.Pending;
    private string? _node;
    private bool _ours = true;
    private DateTimeOffset _created = A.MinutesAgo(10);
    private PodRole _role = PodRole.Worker;
    private int? _orderPriority;
    private bool _invalidOrderPriority;

    public string Name { get; } = name;

    public PodBuilder InNamespace(string @namespace)
    {
        _namespace = @namespace;
        return this;
    }

    public PodBuilder InGroup(string group)
    {
        _group = group;
        return this;
    }

    public PodBuilder InSubGroup(string subGroup)
    {
        _subGroup = subGroup;
        return this;
    }

    /// <summary>Whole GPUs; a fraction below 1 asks for that share of one device (annotation gpu-fraction).</summary>
    public PodBuilder Gpu(double gpus)
    {
        var milli = Quantity.MilliGpu(gpus);
        if (milli % 1000 != 0 && milli < 1000)
        {
            return Fraction(gpus);
        }

        _gpu = milli;
        return this;
    }

    /// <summary>A share of <paramref name="devices"/> devices by fraction (gpu-fraction, gpu-fraction-num-devices).</summary>
    public PodBuilder Fraction(double share, int devices = 1)
    {
        _gpu = 0;
        _share = GpuRequest.Fraction(Quantity.MilliGpu(share), devices);
        return this;
    }

    /// <summary>A share of <paramref name="devices"/> devices by GPU memory in MiB (gpu-memory).</summary>
    public PodBuilder GpuMemory(long mebibytes, int devices = 1)
    {
        _gpu = 0;
        _share = GpuRequest.Memory(mebibytes, devices);
        return this;
    }

    /// <summary>
    /// A DRA claim of the pod, as the cluster adapter resolves it (its GPUs go in <see cref="Gpu(double)"/> of the pod
    /// that counts them): one request for <paramref name="devices"/> devices of <paramref name="deviceClass"/> (of
    /// <paramref name="driver"/> when given; of GPU drivers when the class is a GPU class), or, when allocated, those
    /// devices of the node named in <paramref name="allocatedDevices"/> (<c>driver/pool/name</c>).
    /// </summary>
    public PodBuilder Claim(string claim, string? allocatedNode = null, int devices = 1, string deviceClass = "example-device", string? driver = null, params string[] allocatedDevices)
    {
        var request = new DeviceRequest("request", deviceClass, devices) { Driver = driver, GpuOnly = deviceClass.Contains("gpu", StringComparison.OrdinalIgnoreCase) };
        _claims.Add(new PodClaim(claim, allocatedNode, allocatedNode is null ? devices : 0)
        {
            Requests = [request],
            Allocation = [.. allocatedDevices.Select(d => d.Split('/')).Select(d => new ClaimDevice("request", new DraDevice(d[0], d[1], d[2], d[0].Contains("gpu", StringComparison.OrdinalIgnoreCase))))],
        });
        return this;
    }

    /// <summary>The GPU groups (shared devices) a placed pod is on, as its runai-gpu-group labels say.</summary>
    public PodBuilder OnGpuGroups(params string[] groups)
    {
        _gpuGroups = groups;
        return this;
    }

    public PodBuilder Cpu(string quantity)
    {
        _cpu = Quantity.MilliCpu(quantity);
        return this;
    }

    public PodBuilder Memory(string quantity)
    {
        _memory = Quantity.Bytes(quantity);
        return this;
    }

    /// <summary>Sets the request directly in engine units (without the pod slot, which is always 1).</summary>
    public PodBuilder Requests(long cpuMilli, long memoryBytes, long gpuMilli)
    {
        (_cpu, _memory, _gpu) = (cpuMilli, memoryBytes, gpuMilli);
        return this;
    }

    public PodBuilder Running(string node) => WithStatus(PodStatus.Running, node);

    /// <summary>Terminating on <paramref name="node"/>: its resources are releasing.</summary>
    public PodBuilder Releasing(string node) => WithStatus(PodStatus.Releasing, node);

    public PodBuilder Gated() => WithStatus(PodStatus.Gated, null);

    public PodBuilder WithStatus(PodStatus status, string? node)
    {
        _status = status;
        _node = node;
        return this;
    }

    /// <summary>Scheduled by another scheduler: it only takes capacity.</summary>
    public PodBuilder NotOurs()
    {
        _ours = false;
        return this;
    }

    public PodBuilder Created(DateTimeOffset created)
    {
        _created = created;
        return this;
    }

    public PodBuilder Role(PodRole role)
    {
        _role = role;
        return this;
    }

    public PodBuilder OrderPriority(int priority)
    {
        _orderPriority = priority;
        return this;
    }

    public PodBuilder InvalidOrderPriority()
    {
        _invalidOrderPriority = true;
        return this;
    }

    public PodBuilder NodeSelector(string key, string value)
    {
        _nodeSelector[key] = value;
        return this;
    }

    /// <summary>Required node affinity: the node must match one of the terms.</summary>
    public PodBuilder Affinity(params NodeSelectorTerm[] terms)
    {
        _affinity.AddRange(terms);
        return this;
    }

    public PodBuilder Tolerates(string? key, TolerationOperator op = TolerationOperator.Exists, string? value = null, TaintEffect? effect = null)
    {
        _tolerations.Add(new Toleration(key, op, value, effect));
        return this;
    }

    public PodBuilder HostPort(int port, string protocol = "TCP", string hostIp = "")
    {
        _hostPorts.Add(new HostPort(protocol, hostIp, port));
        return this;
    }

    public PodBuilder Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    /// <summary>Required pod affinity: a pod matching <paramref name="selector"/> ("key=value,...") must run in the node's <paramref name="topologyKey"/> domain.</summary>
    public PodBuilder RequiresPodAffinity(string topologyKey, string selector, params string[] namespaces) => PodTerm(0, anti: false, required: true, topologyKey, selector, namespaces);

    public PodBuilder RequiresPodAntiAffinity(string topologyKey, string selector, params string[] namespaces) => PodTerm(0, anti: true, required: true, topologyKey, selector, namespaces);

    public PodBuilder PrefersPodAffinity(int weight, string topologyKey, string selector, params string[] namespaces) => PodTerm(weight, anti: false, required: false, topologyKey, selector, namespaces);

    public PodBuilder PrefersPodAntiAffinity(int weight, string topologyKey, string selector, params string[] namespaces) => PodTerm(weight, anti: true, required: false, topologyKey, selector, namespaces);

    /// <summary><c>status.nominatedNodeName</c>.</summary>
    public PodBuilder NominatedNode(string node)
    {
        _nominatedNode = node;
        return this;
    }

    private PodBuilder PodTerm(int weight, bool anti, bool required, string topologyKey, string selector, string[] namespaces)
    {
        _podTerms.Add((weight, anti, required, topologyKey, selector, namespaces));
        return this;
    }

    private PodAffinity BuildPodAffinity()
    {
        PodAffinityTerm Term(string topologyKey, string selector, string[] namespaces) => new(
            new LabelSelector(
                selector.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToFrozenDictionary(p => p[0], p => p[1], StringComparer.Ordinal),
                []),
            namespaces.Length == 0 ? [_namespace] : namespaces,
            null,
            topologyKey);

        return _podTerms.Count == 0
            ? PodAffinity.None
            : new PodAffinity(
                [.. _podTerms.Where(t => t.Required && !t.Anti).Select(t => Term(t.TopologyKey, t.Selector, t.Namespaces))],
                [.. _podTerms.Where(t => t.Required && t.Anti).Select(t => Term(t.TopologyKey, t.Selector, t.Namespaces))],
                [.. _podTerms.Where(t => !t.Required && !t.Anti).Select(t => new WeightedPodAffinityTerm(t.Weight, Term(t.TopologyKey, t.Selector, t.Namespaces)))],
                [.. _podTerms.Where(t => !t.Required && t.Anti).Select(t => new WeightedPodAffinityTerm(t.Weight, Term(t.TopologyKey, t.Selector, t.Namespaces)))]);
    }

    public Pod Build() => new()
    {
        Uid = $"uid-{_namespace}-{Name}",
        Namespace = _namespace,
        Name = Name,
        GroupName = _group,
        SubGroupName = _subGroup,
        Request = new ResourceVector(_cpu, _memory, _gpu, 1),
        Gpu = _share,
        GpuGroups = _gpuGroups,
        Claims = [.. _claims],
        Status = _status,
        NodeName = _node,
        IsScheduledByUs = _ours,
        CreationTimestamp = _created,
        Constraints = _nodeSelector.Count == 0 && _affinity.Count == 0 && _tolerations.Count == 0 && _hostPorts.Count == 0 && _podTerms.Count == 0
            ? PlacementConstraints.None
            : new PlacementConstraints(_nodeSelector.ToFrozenDictionary(StringComparer.Ordinal), [.. _affinity], [.. _tolerations], [.. _hostPorts], BuildPodAffinity()),
        Labels = _labels.ToFrozenDictionary(StringComparer.Ordinal),
        NominatedNodeName = _nominatedNode,
        Role = _role,
        OrderPriority = _orderPriority,
        HasInvalidOrderPriority = _invalidOrderPriority,
    };
}
