namespace Kai.Cluster.Manifests;

/// <summary>
/// How bad a manifest problem is: a warning keeps the object, an error drops it (or the whole document), a note
/// (<see cref="Info"/>) points out something probably unintended that is valid as written.
/// </summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,
    Info,
}

/// <summary>The words used for severities in messages and reports.</summary>
public static class DiagnosticSeverityText
{
    public static string Of(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Info => "info",
        _ => "warning",
    };
}
