namespace Kai.Cluster.Manifests;

/// <summary>
/// A problem found while loading manifests. <paramref name="ObjectRef"/> names the object when it can be identified
/// ("Pod team-a/trainer-0", "Queue team-a"); <paramref name="Message"/> says what is wrong and what would be right.
/// </summary>
public sealed record ManifestDiagnostic(DiagnosticSeverity Severity, SourceLocation Location, string? ObjectRef, string Message)
{
    public override string ToString()
    {
        var severity = DiagnosticSeverityText.Of(Severity);
        return ObjectRef is null
            ? $"{Location}: {severity}: {Message}"
            : $"{Location}: {severity}: {ObjectRef}: {Message}";
    }
}
