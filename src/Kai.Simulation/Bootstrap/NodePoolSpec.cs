using System.Globalization;
using k8s.Models;
using Kai.Cluster.Quantities;
using Kai.Controllers.Conventions;

namespace Kai.Simulation.Bootstrap;

/// <summary>
/// A pool of identical nodes for scenarios without Node objects, written <c>count=4,gpu=8,cpu=64,memory=512Gi</c>
/// (any subset; the rest default). The default pool is four nodes with 8 GPUs of 80,000 MiB, 64 CPUs and 512Gi each;
/// nodes with GPUs publish their GPUs' memory (label <c>nvidia.com/gpu.memory</c>, key <c>gpu-memory</c> in MiB) so
/// that pods asking for GPU memory can be placed.
/// </summary>
public sealed record NodePoolSpec(int Count, int Gpus, string Cpu, string Memory, int Pods = 110, int GpuMemoryMiB = NodePoolSpec.DefaultGpuMemoryMiB)
{
    public const int DefaultGpuMemoryMiB = 80_000;

    public static NodePoolSpec Default { get; } = new(4, 8, "64", "512Gi");

    public override string ToString() => $"count={Count},gpu={Gpus},cpu={Cpu},memory={Memory},pods={Pods}" + (Gpus > 0 ? $",gpu-memory={GpuMemoryMiB}" : string.Empty);

    public static bool TryParse(string text, out NodePoolSpec spec, out string error)
    {
        spec = Default;
        error = string.Empty;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"'{part}' is not key=value; write e.g. count=4,gpu=8,cpu=64,memory=512Gi.";
                return false;
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "count" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0:
                    spec = spec with { Count = count };
                    break;
                case "gpu" or "gpus" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var gpus) && gpus >= 0:
                    spec = spec with { Gpus = gpus };
                    break;
                case "pods" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pods) && pods > 0:
                    spec = spec with { Pods = pods };
                    break;
                case "gpu-memory" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var gpuMemory) && gpuMemory >= 100:
                    spec = spec with { GpuMemoryMiB = gpuMemory };
                    break;
                case "cpu" when QuantityValidation.TryParseNonNegative(value, out _, out _):
                    spec = spec with { Cpu = value };
                    break;
                case "memory" when QuantityValidation.TryParseNonNegative(value, out _, out _):
                    spec = spec with { Memory = value };
                    break;
                default:
                    error = $"'{part}' is not valid: keys are count, gpu, cpu, memory, pods with a non-negative count or quantity, and gpu-memory in MiB (at least 100), e.g. count=4,gpu=8,cpu=64,memory=512Gi,gpu-memory=80000.";
                    return false;
            }
        }

        return true;
    }

    /// <summary>The Node objects of this pool: <c>node-0</c>, <c>node-1</c>, ….</summary>
    public IEnumerable<V1Node> CreateNodes()
    {
        for (var i = 0; i < Count; i++)
        {
            var resources = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new(Cpu),
                ["memory"] = new(Memory),
                ["pods"] = new(Pods.ToString(CultureInfo.InvariantCulture)),
            };
            if (Gpus > 0)
            {
                resources[KaiConventions.GpuResource] = new(Gpus.ToString(CultureInfo.InvariantCulture));
            }

            var labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = $"node-{i}" };
            if (Gpus > 0)
            {
                labels[KaiConventions.NodeGpuMemoryLabel] = GpuMemoryMiB.ToString(CultureInfo.InvariantCulture);
                labels[KaiConventions.NodeGpuCountLabel] = Gpus.ToString(CultureInfo.InvariantCulture);
            }

            yield return new V1Node
            {
                ApiVersion = "v1",
                Kind = "Node",
                Metadata = new V1ObjectMeta { Name = $"node-{i}", Labels = labels },
                Status = new V1NodeStatus
                {
                    Capacity = resources,
                    Allocatable = new Dictionary<string, ResourceQuantity>(resources),
                    Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                },
            };
        }
    }
}
