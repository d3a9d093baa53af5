using System.Globalization;
using System.Text.RegularExpressions;

namespace Kai.ApiServer.Resources;

/// <summary>
/// Kubernetes' version priority: GA before beta before alpha, higher numbers first (v2 &gt; v1 &gt; v1beta2 &gt;
/// v1beta1 &gt; v1alpha1), and versions of other shapes last, alphabetically. The first is the preferred version.
/// </summary>
internal sealed partial class KubeVersionOrder : IComparer<string>
{
    public static KubeVersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var a = Parse(x ?? string.Empty);
        var b = Parse(y ?? string.Empty);
        if (a is null || b is null)
        {
            return a is null && b is null ? string.CompareOrdinal(x, y) : a is null ? 1 : -1;
        }

        if (a.Value.Stability != b.Value.Stability)
        {
            return b.Value.Stability.CompareTo(a.Value.Stability);
        }

        return a.Value.Major != b.Value.Major ? b.Value.Major.CompareTo(a.Value.Major) : b.Value.Minor.CompareTo(a.Value.Minor);
    }

    private static (int Stability, int Major, int Minor)? Parse(string version)
    {
        var match = VersionPattern().Match(version);
        if (!match.Success)
        {
            return null;
        }

        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var stability = match.Groups[2].Value switch
        {
            "" => 2,
            "beta" => 1,
            _ => 0,
        };
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return (stability, major, minor);
    }

    [GeneratedRegex("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
