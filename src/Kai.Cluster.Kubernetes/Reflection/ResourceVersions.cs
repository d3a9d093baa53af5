using System.Globalization;

namespace Kai.Cluster.Kubernetes.Reflection;

/// <summary>
/// Ordering of resource versions. Kubernetes calls them opaque, but every API server backed by etcd (and kai serve)
/// issues increasing integers; the backend compares them only to tell whether its own write is newer than what the
/// watch has shown, and treats anything it cannot parse as not newer (the watch then wins).
/// </summary>
internal static class ResourceVersions
{
    public static bool IsNewer(string? candidate, string? than)
    {
        if (!TryParse(candidate, out var a))
        {
            return false;
        }

        return !TryParse(than, out var b) || a > b;
    }

    public static bool TryParse(string? text, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>The larger of two versions (the first when they cannot be compared).</summary>
    public static string Max(string a, string b) => IsNewer(b, a) ? b : a;
}
