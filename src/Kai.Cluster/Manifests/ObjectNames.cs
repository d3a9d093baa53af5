using System.Text.RegularExpressions;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Kubernetes' rules for object names: most kinds (Node, Pod, PriorityClass, custom resources) need a DNS-1123
/// subdomain, namespaces a DNS-1123 label. The messages say what is wrong and what would be right.
/// </summary>
internal static partial class ObjectNames
{
    public const int MaxSubdomainLength = 253;
    public const int MaxLabelLength = 63;
    public const int MaxLabelValueLength = 63;

    /// <summary>Why <paramref name="name"/> is not a DNS-1123 subdomain, or null when it is one.</summary>
    public static string? SubdomainProblem(string name)
    {
        if (name.Length > MaxSubdomainLength)
        {
            return $"is {name.Length} characters long; at most {MaxSubdomainLength} are allowed";
        }

        return Subdomain().IsMatch(name) ? null : CharacterProblem(name, allowDots: true);
    }

    /// <summary>Why <paramref name="name"/> is not a DNS-1123 label, or null when it is one.</summary>
    public static string? LabelProblem(string name)
    {
        if (name.Length > MaxLabelLength)
        {
            return $"is {name.Length} characters long; at most {MaxLabelLength} are allowed";
        }

        return Label().IsMatch(name) ? null : CharacterProblem(name, allowDots: false);
    }

    /// <summary>Whether <paramref name="value"/> may be a label value: empty, or up to 63 letters, digits, '-', '_' and '.', alphanumeric at both ends.</summary>
    public static bool IsLabelValue(string value) => value.Length <= MaxLabelValueLength && LabelValue().IsMatch(value);

    /// <summary>A valid name close to <paramref name="name"/>: lowercase, other characters replaced by '-', trimmed.</summary>
    public static string Suggest(string name, bool allowDots)
    {
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' || (allowDots && c == '.') ? c : '-').ToArray();
        var suggestion = new string(chars).Trim('-', '.');
        return suggestion.Length == 0 ? "my-object" : suggestion;
    }

    private static string CharacterProblem(string name, bool allowDots)
    {
        var allowed = allowDots ? "lowercase letters, digits, '-' and '.'" : "lowercase letters, digits and '-'";
        string what;
        if (name.Any(char.IsAsciiLetterUpper))
        {
            what = "has uppercase letters";
        }
        else if (name.FirstOrDefault(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-' || (allowDots && c == '.'))) is var bad && bad != default)
        {
            what = $"has the character '{bad}'";
        }
        else
        {
            what = allowDots ? "must start and end each dot-separated part with a letter or digit" : "must start and end with a letter or digit";
        }

        return $"{what}; use only {allowed}, starting and ending with a letter or digit, e.g. \"{Suggest(name, allowDots)}\"";
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();
}
