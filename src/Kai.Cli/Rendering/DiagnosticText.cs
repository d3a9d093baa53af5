using Kai.Cluster.Manifests;
using Kai.Simulation.Reports;

namespace Kai.Cli.Rendering;

/// <summary>One line per problem: severity, where, which object, what is wrong and what would be right.</summary>
internal static class DiagnosticText
{
    public static string Of(ManifestDiagnostic diagnostic)
    {
        var where = diagnostic.Location.Line is { } line ? $"{diagnostic.Location.File}:{line}" : $"{diagnostic.Location.File} (document {diagnostic.Location.Document})";
        var severity = DiagnosticSeverityText.Of(diagnostic.Severity);
        return diagnostic.ObjectRef is null ? $"{severity}: {where}: {diagnostic.Message}" : $"{severity}: {where}: {diagnostic.ObjectRef}: {diagnostic.Message}";
    }

    public static string Of(DiagnosticReport diagnostic)
    {
        var parts = new List<string> { diagnostic.Severity };
        if (diagnostic.Source is not null)
        {
            parts.Add(diagnostic.Source);
        }

        if (diagnostic.Object is not null)
        {
            parts.Add(diagnostic.Object);
        }

        parts.Add(diagnostic.Message);
        return string.Join(": ", parts);
    }
}
