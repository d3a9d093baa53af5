using System.Collections.Frozen;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Tests.Builders;

/// <summary>A ready, uncordoned node with 32 CPUs, 256Gi memory, 110 pod slots and no GPUs unless told.</summary>
internal sealed class NodeBuilder(string name)
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly List<Taint> _taints = [];
    private long _cpu = 32_000;
    private long _memory = 256 * Quantity.Gi;
    private long _gpu;
    private long _pods = 110;
    private bool _ready = true;
    private bool _cordoned;
    private bool _underPressure;
    private long _gpuMemory = Node.DefaultGpuMemoryMiB;
    private bool _gpuMemorySynced;
    private readonly List<DraDevice> _draDevices = [];

    public string Name { get; } = name;

    public NodeBuilder Gpus(double count)
    {
        _gpu = Quantity.MilliGpu(count);
        return this;
    }

    /// <summary>Memory of each GPU in MiB, as the nvidia.com/gpu.memory label publishes it.</summary>
    public NodeBuilder GpuMemory(long mebibytes)
    {
        _gpuMemory = mebibytes;
        _gpuMemorySynced = true;
        return this;
    }

    /// <summary>
    /// Devices the node's ResourceSlices publish, named <c>&lt;driver&gt;/&lt;node&gt;/&lt;n&gt;</c> (GPU devices — of a
    /// driver whose name contains "gpu" — are also to be given as GPUs).
    /// </summary>
    public NodeBuilder DraDevices(int devices, string driver = "dra.example.com")
    {
        var first = _draDevices.Count(d => d.Driver == driver);
        for (var d = 0; d < devices; d++)
        {
            _draDevices.Add(new DraDevice(driver, Name, $"{first + d}", driver.Contains("gpu", StringComparison.OrdinalIgnoreCase)));
        }

        return this;
    }

    public NodeBuilder Cpu(string quantity)
    {
        _cpu = Quantity.MilliCpu(quantity);
        return this;
    }

    public NodeBuilder Memory(string quantity)
    {
        _memory = Quantity.Bytes(quantity);
        return this;
    }

    public NodeBuilder MaxPods(int pods)
    {
        _pods = pods;
        return this;
    }

    public NodeBuilder Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public NodeBuilder Taint(string key, string? value = null, TaintEffect effect = TaintEffect.NoSchedule)
    {
        _taints.Add(new Taint(key, value, effect));
        return this;
    }

    public NodeBuilder NotReady()
    {
        _ready = false;
        return this;
    }

    public NodeBuilder Cordoned()
    {
        _cordoned = true;
        return this;
    }

    public NodeBuilder UnderPressure()
    {
        _underPressure = true;
        return this;
    }

    public Node Build() => new()
    {
        Name = Name,
        Allocatable = new ResourceVector(_cpu, _memory, _gpu, _pods),
        Labels = _labels.ToFrozenDictionary(StringComparer.Ordinal),
        Taints = [.. _taints],
        Unschedulable = _cordoned,
        Ready = _ready,
        UnderPressure = _underPressure,
        GpuCount = _gpu / ResourceVector.MilliPerGpu,
        GpuMemoryMiB = _gpuMemory,
        GpuMemorySynced = _gpuMemorySynced,
        DraDevices = [.. _draDevices],
    };
}
