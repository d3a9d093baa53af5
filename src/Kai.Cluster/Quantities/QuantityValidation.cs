using k8s.Models;

namespace Kai.Cluster.Quantities;

/// <summary>Rules for quantities that describe amounts (requests, limits, capacity): valid syntax and never negative.</summary>
public static class QuantityValidation
{
    /// <summary>Parses <paramref name="text"/> and rejects negative values, which no request, limit or capacity may hold.</summary>
    public static bool TryParseNonNegative(string? text, out Quantity value, out string error)
    {
        if (!Quantity.TryParse(text, out value, out error))
        {
            return false;
        }

        if (value.IsNegative)
        {
            error = $"\"{text}\" is negative; amounts must be zero or more, e.g. 0, 500m, 2, 1.5Gi";
            value = default;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads a KubernetesClient <see cref="ResourceQuantity"/>. Its <c>ToString()</c> is a canonical form
    /// ("0.5" becomes "500m", "1e3" stays "1e3", "-1" becomes "-0.000000000000000001E"), all of which parse exactly here.
    /// </summary>
    public static bool TryFromResourceQuantity(ResourceQuantity? quantity, out Quantity value, out string error)
    {
        if (quantity is null)
        {
            value = default;
            error = "the quantity is missing; " + QuantityParser.ValidForms;
            return false;
        }

        // KubernetesClient's canonical form costs tens of microseconds a quantity, and clusters repeat a few
        // quantities ("1", "4Gi") on every pod: what parsed once is kept, by value (ResourceQuantity's equality).
        if (Parsed.TryGetValue(quantity, out value))
        {
            error = string.Empty;
            return true;
        }

        if (!Quantity.TryParse(quantity.ToString(), out value, out error))
        {
            return false;
        }

        if (Parsed.Count >= ParsedCapacity)
        {
            Parsed.Clear();
        }

        Parsed[quantity] = value;
        return true;
    }

    /// <summary>Distinct quantities kept parsed before the memo starts over.</summary>
    private const int ParsedCapacity = 4096;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ResourceQuantity, Quantity> Parsed = new();
}
