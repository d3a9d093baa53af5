namespace Kai.Cluster.Manifests;

/// <summary>A finding about one object; <paramref name="Line"/> is a 1-based file line.</summary>
internal sealed record ValidationIssue(DiagnosticSeverity Severity, string Message, int Line);
