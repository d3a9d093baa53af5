namespace Kai.Cluster.Manifests;

/// <summary>What an admission check found: errors reject the object, warnings are shown to the client.</summary>
public sealed record AdmissionFindings(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool Allowed => Errors.Count == 0;
}
