using k8s.Models;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks across objects that the API server's admission makes when objects are created in a cluster that already
/// holds some: the Priority admission plugin rejects a pod whose <c>spec.priorityClassName</c> names no PriorityClass
/// and a second PriorityClass with <c>globalDefault: true</c>. Classes in the input, the ones already installed and
/// Kubernetes' own system classes all count, whatever the order of the input.
/// </summary>
public static class ManifestAdmission
{
    /// <param name="set">Loaded manifests.</param>
    /// <param name="installedPriorityClasses">PriorityClasses already in the cluster (e.g. KAI's train, build, ...).</param>
    /// <returns>The set without the rejected objects, with an error for each.</returns>
    public static ManifestSet Admit(ManifestSet set, IEnumerable<string> installedPriorityClasses)
    {
        var classes = set.OfType<V1PriorityClass>().ToList();
        var known = new HashSet<string>(installedPriorityClasses, StringComparer.Ordinal);
        known.UnionWith(SystemPriorityClasses.Values.Keys);
        known.UnionWith(classes.Select(c => c.Metadata.Name));

        var rejected = new HashSet<LoadedObject>(ReferenceEqualityComparer.Instance);
        var diagnostics = set.Diagnostics.ToList();
        foreach (var reference in set.PriorityClassReferences.Where(r => !known.Contains(r.ClassName)))
        {
            rejected.Add(reference.Pod);
            diagnostics.Add(new ManifestDiagnostic(
                DiagnosticSeverity.Error,
                reference.Location,
                reference.ObjectRef,
                $"spec.priorityClassName \"{reference.ClassName}\" names no PriorityClass, so the API server rejects the pod (\"no PriorityClass with name {reference.ClassName} was found\"). " +
                $"Use one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}, or add the PriorityClass"));
        }

        string? firstDefault = null;
        foreach (var loaded in set.Objects.Where(o => o.Object is V1PriorityClass { GlobalDefault: true }))
        {
            var name = loaded.Object.Metadata.Name;
            if (firstDefault is null)
            {
                firstDefault = name;
                continue;
            }

            rejected.Add(loaded);
            diagnostics.Add(new ManifestDiagnostic(
                DiagnosticSeverity.Error,
                loaded.Location,
                $"PriorityClass {name}",
                $"globalDefault is true, but PriorityClass {firstDefault} is already the default; the API server allows only one, so this class is rejected. Set globalDefault: false"));
        }

        return rejected.Count == 0
            ? set
            : set with
            {
                Objects = set.Objects.Where(o => !rejected.Contains(o)).ToList(),
                Diagnostics = diagnostics,
                PriorityClassReferences = set.PriorityClassReferences.Where(r => !rejected.Contains(r.Pod)).ToList(),
                RejectedKinds = set.RejectedKinds.Union(rejected.Select(o => o.Object.Kind), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            };
    }
}
