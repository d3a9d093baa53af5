namespace Kai.Cluster.Manifests;

/// <summary>
/// Where something came from: a file, the 1-based index of the YAML document within it (counting only documents
/// with content; 0 when the diagnostic is about the whole file) and, when known, the 1-based line in the file.
/// </summary>
public sealed record SourceLocation(string File, int Document, int? Line)
{
    /// <summary>"path:line (document n)", the form editors and terminals turn into links.</summary>
    public override string ToString()
    {
        var place = Line is { } line ? $"{File}:{line}" : File;
        return Document > 0 ? $"{place} (document {Document})" : place;
    }
}
