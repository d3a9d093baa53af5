namespace Kai.Cluster.Manifests;

/// <summary>The outcome of loading manifests: the valid objects in input order and every diagnostic in input order.</summary>
public sealed record ManifestSet(IReadOnlyList<LoadedObject> Objects, IReadOnlyList<ManifestDiagnostic> Diagnostics)
{
    public IEnumerable<ManifestDiagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<ManifestDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning);

    /// <summary>Kinds of objects the input held but that were rejected with an error (e.g. "Node").</summary>
    public IReadOnlyList<string> RejectedKinds { get; init; } = [];

    /// <summary>Whether the input holds Node objects, even if all of them were rejected.</summary>
    public bool DeclaresNodes => OfType<k8s.Models.V1Node>().Any() || RejectedKinds.Contains("Node");

    /// <summary>Pods that name a PriorityClass, for <see cref="ManifestAdmission"/>.</summary>
    internal IReadOnlyList<PriorityClassReference> PriorityClassReferences { get; init; } = [];

    /// <summary>The loaded objects of one type, e.g. <c>set.OfType&lt;V1Pod&gt;()</c>.</summary>
    public IEnumerable<T> OfType<T>() => Objects.Select(o => o.Object).OfType<T>();
}
