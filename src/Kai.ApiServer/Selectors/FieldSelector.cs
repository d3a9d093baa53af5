using System.Text;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;

namespace Kai.ApiServer.Selectors;

/// <summary>
/// A Kubernetes field selector: <c>field=value</c>, <c>field==value</c> or <c>field!=value</c> terms joined by
/// commas, all of which must hold. Which fields a resource supports is its own list
/// (<see cref="ApiResource.Fields"/>); a missing field reads as the empty string, so <c>spec.nodeName=</c>
/// selects unassigned pods. Values escape <c>\</c>, <c>,</c> and <c>=</c> with a backslash.
/// </summary>
internal sealed class FieldSelector
{
    private readonly Term[] _terms;

    private FieldSelector(Term[] terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEverything => _terms.Length == 0;

    /// <summary>The value a term requires for <paramref name="field"/> (<c>field=value</c>), if any.</summary>
    public string? RequiredValue(string field) =>
        Array.Find(_terms, t => t.Equal && t.Field == field)?.Value;

    /// <summary>Parses and checks every field against <paramref name="resource"/>.</summary>
    /// <exception cref="ApiException">400 for a malformed selector or an unsupported field.</exception>
    public static FieldSelector Parse(string? text, ApiResource resource)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var terms = new List<Term>();
        foreach (var part in SplitUnescaped(text, ','))
        {
            var term = ParseTerm(part);
            if (!resource.Fields.ContainsKey(term.Field))
            {
                throw ApiException.BadRequest($"field label not supported: {term.Field}");
            }

            terms.Add(term);
        }

        return new FieldSelector([.. terms]);
    }

    public bool Matches(IKubernetesObject<V1ObjectMeta> obj, ApiResource resource)
    {
        foreach (var term in _terms)
        {
            var actual = resource.Fields[term.Field](obj) ?? string.Empty;
            if (string.Equals(actual, term.Value, StringComparison.Ordinal) != term.Equal)
            {
                return false;
            }
        }

        return true;
    }

    private static Term ParseTerm(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (text[i] == '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                return new Term(text[..i].Trim(), false, Unescape(text[(i + 2)..]));
            }

            if (text[i] == '=')
            {
                var valueStart = i + 1 < text.Length && text[i + 1] == '=' ? i + 2 : i + 1;
                return new Term(text[..i].Trim(), true, Unescape(text[valueStart..]));
            }
        }

        throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{text}'");
    }

    private static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == separator)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            builder.Append(value[i]);
        }

        return builder.ToString();
    }

    private sealed record Term(string Field, bool Equal, string Value);
}
