using k8s.Models;
using Kai.Cluster.Quantities;
using Kai.Controllers.Conventions;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Reads a Kubernetes resource list (requests, limits, capacity) into an integer <see cref="ResourceVector"/>:
/// CPU and GPUs in milli-units, memory and everything else in whole units.
/// </summary>
internal static class ResourceListReader
{
    /// <summary>Reads <paramref name="list"/>; invalid quantities are reported through <paramref name="problems"/> and count as 0.</summary>
    public static ResourceVector Read(IDictionary<string, ResourceQuantity>? list, ResourceCatalog catalog, List<string> problems, string where)
    {
        if (list is null || list.Count == 0)
        {
            return ResourceVector.Zero;
        }

        long cpu = 0, memory = 0, gpu = 0, pods = 0;
        long[]? extended = null;
        foreach (var (name, quantity) in list)
        {
            if (!QuantityValidation.TryFromResourceQuantity(quantity, out var value, out var error))
            {
                problems.Add($"{where} {name}: {error}");
                continue;
            }

            switch (name)
            {
                case "cpu":
                    cpu = value.ToMilli();
                    break;
                case "memory":
                    memory = value.ToUnits();
                    break;
                case KaiConventions.GpuResource:
                    gpu = value.ToMilli();
                    break;
                case "pods":
                    pods = value.ToUnits();
                    break;
                default:
                    var index = catalog.IndexOf(name);
                    if (extended is null || extended.Length <= index)
                    {
                        Array.Resize(ref extended, Math.Max(index + 1, catalog.Count));
                    }

                    extended[index] = value.ToUnits();
                    break;
            }
        }

        return new ResourceVector(cpu, memory, gpu, pods, extended);
    }
}
