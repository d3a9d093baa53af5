namespace Kai.Cluster.Manifests;

/// <summary>How bad a manifest problem is: a warning keeps the object, an error drops it (or the whole document).</summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,
}
