using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;

namespace Kai.ApiServer.Admission;

/// <summary>
/// Validates and defaults a CustomResourceDefinition as the API server does before it is stored: name =
/// plural.group, a dotted group, names, scope, versions with exactly one storage version; the scope is immutable
/// and built-in resources cannot be redefined. Serving it is <see cref="Resources.CustomResources"/>' job.
/// </summary>
internal sealed partial class CustomResourceDefinitionAdmission : IAdmission
{
    public void Admit(ServerContext context, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old)
    {
        var crd = (V1CustomResourceDefinition)obj;
        var spec = crd.Spec;
        if (spec is null)
        {
            throw Invalid(crd, [("spec", "Required value")]);
        }

        spec.Names ??= new V1CustomResourceDefinitionNames();
        var names = spec.Names;
        var problems = new List<(string Field, string Message)>();
        CheckNames(crd, spec, names, problems);
        CheckVersions(spec, problems);
        if (old is V1CustomResourceDefinition stored && stored.Spec?.Scope != spec.Scope)
        {
            problems.Add(("spec.scope", "Invalid value: field is immutable"));
        }

        if (!string.IsNullOrEmpty(spec.Group) && !string.IsNullOrEmpty(names.Plural) && context.Catalog.IsBuiltIn(spec.Group, names.Plural))
        {
            problems.Add(("spec.group", $"\"{names.Plural}.{spec.Group}\" is a built-in resource and cannot be redefined"));
        }

        if (problems.Count > 0)
        {
            throw Invalid(crd, problems);
        }

        names.Singular ??= names.Kind.ToLowerInvariant();
        names.ListKind ??= names.Kind + "List";
        spec.Conversion ??= new V1CustomResourceConversion { Strategy = "None" };
    }

    /// <summary>Group, plural, kind, the name they make, and the scope.</summary>
    private static void CheckNames(V1CustomResourceDefinition crd, V1CustomResourceDefinitionSpec spec, V1CustomResourceDefinitionNames names, List<(string Field, string Message)> problems)
    {
        if (string.IsNullOrEmpty(spec.Group) || !spec.Group.Contains('.', StringComparison.Ordinal))
        {
            problems.Add(("spec.group", "should be a domain with at least one dot"));
        }

        if (string.IsNullOrEmpty(names.Plural) || !DnsLabel().IsMatch(names.Plural))
        {
            problems.Add(("spec.names.plural", "Required value: a lowercase RFC 1123 label"));
        }

        if (string.IsNullOrEmpty(names.Kind))
        {
            problems.Add(("spec.names.kind", "Required value"));
        }

        if (crd.Metadata.Name != $"{names.Plural}.{spec.Group}")
        {
            problems.Add(("metadata.name", $"must be spec.names.plural+\".\"+spec.group: \"{names.Plural}.{spec.Group}\""));
        }

        if (spec.Scope is not ("Namespaced" or "Cluster"))
        {
            problems.Add(("spec.scope", "Unsupported value: \"" + spec.Scope + "\": supported values: \"Cluster\", \"Namespaced\""));
        }
    }

    /// <summary>At least one version, unique names, exactly one storage version.</summary>
    private static void CheckVersions(V1CustomResourceDefinitionSpec spec, List<(string Field, string Message)> problems)
    {
        if (spec.Versions is not { Count: > 0 })
        {
            problems.Add(("spec.versions", "Required value: must have at least one version"));
            return;
        }

        if (spec.Versions.Count(v => v.Storage) != 1)
        {
            problems.Add(("spec.versions", "Invalid value: must have exactly one version marked as storage version"));
        }

        if (spec.Versions.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != spec.Versions.Count)
        {
            problems.Add(("spec.versions", "Duplicate value: version names must be unique"));
        }
    }

    private static ApiException Invalid(V1CustomResourceDefinition crd, List<(string Field, string Message)> problems) =>
        ApiException.Invalid(
            $"CustomResourceDefinition.apiextensions.k8s.io \"{crd.Metadata.Name}\" is invalid: {string.Join(", ", problems.Select(p => $"{p.Field}: {p.Message}"))}",
            new V1StatusDetails
            {
                Name = crd.Metadata.Name,
                Group = "apiextensions.k8s.io",
                Kind = "CustomResourceDefinition",
                Causes = [.. problems.Select(p => new V1StatusCause { Reason = "FieldValueInvalid", Field = p.Field, Message = p.Message })],
            });

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();
}
