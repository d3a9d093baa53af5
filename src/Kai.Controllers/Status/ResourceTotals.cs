using k8s.Models;
using Kai.Cluster.Quantities;

namespace Kai.Controllers.Status;

/// <summary>
/// A resource list being summed exactly (Kubernetes' <c>SumResources</c>), written back in Kubernetes' canonical
/// quantity form, memory-like amounts with binary suffixes.
/// </summary>
internal sealed class ResourceTotals
{
    private readonly SortedDictionary<string, Quantity> _amounts = new(StringComparer.Ordinal);

    public bool IsEmpty => _amounts.Count == 0;

    public void Add(string resource, Quantity amount) =>
        _amounts[resource] = _amounts.TryGetValue(resource, out var sum) ? sum + amount : amount;

    /// <summary>Adds every valid entry of <paramref name="list"/> (a status written by someone else may hold anything).</summary>
    public void Add(IDictionary<string, ResourceQuantity>? list)
    {
        foreach (var (resource, quantity) in list ?? new Dictionary<string, ResourceQuantity>())
        {
            if (QuantityValidation.TryFromResourceQuantity(quantity, out var amount, out _))
            {
                Add(resource, amount);
            }
        }
    }

    public void Add(ResourceTotals other)
    {
        foreach (var (resource, amount) in other._amounts)
        {
            Add(resource, amount);
        }
    }

    /// <summary>The totals as a resource list; memory and ephemeral storage in binary units when they divide evenly.</summary>
    public Dictionary<string, ResourceQuantity> ToResourceList() =>
        _amounts.ToDictionary(
            p => p.Key,
            p => new ResourceQuantity(QuantityFormat.Canonical(p.Value, binary: p.Key is "memory" or "ephemeral-storage" || p.Key.EndsWith("/gpu.memory", StringComparison.Ordinal))),
            StringComparer.Ordinal);

    /// <summary>Whether two resource lists hold the same amounts (the form they are written in aside).</summary>
    public static bool SameAmounts(IDictionary<string, ResourceQuantity>? left, IDictionary<string, ResourceQuantity>? right)
    {
        var a = new ResourceTotals();
        a.Add(left);
        var b = new ResourceTotals();
        b.Add(right);
        return a._amounts.Count == b._amounts.Count && a._amounts.All(p => b._amounts.TryGetValue(p.Key, out var other) && other == p.Value);
    }
}
