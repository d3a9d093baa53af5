namespace Kai.Cluster.Manifests;

/// <summary>
/// Splits a multi-document YAML file on separator lines ("---", optionally followed by a comment or content) so
/// that one broken document cannot take the others down, and drops documents with no content (blank, comments,
/// or only "..."), which KubernetesClient cannot digest.
/// </summary>
internal static class DocumentSplitter
{
    public static IReadOnlyList<DocumentText> Split(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var documents = new List<DocumentText>();
        var current = new List<string>();
        var currentStart = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!IsSeparator(line))
            {
                current.Add(line);
                continue;
            }

            Flush(documents, current, currentStart);
            current.Clear();
            currentStart = i + 1;

            // "--- {a: 1}" or "--- !tag": keep what follows the marker, at its original column.
            var rest = line[3..];
            if (rest.TrimStart().StartsWith('#') || rest.Trim().Length == 0)
            {
                currentStart = i + 2;
            }
            else
            {
                current.Add("   " + rest);
            }
        }

        Flush(documents, current, currentStart);
        return documents;
    }

    private static bool IsSeparator(string line) =>
        line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || char.IsWhiteSpace(line[3]));

    private static void Flush(List<DocumentText> documents, List<string> lines, int startLine)
    {
        if (lines.TrueForAll(IsBlank))
        {
            return;
        }

        documents.Add(new DocumentText(startLine, string.Join('\n', lines)));
    }

    private static bool IsBlank(string line)
    {
        var trimmed = line.Trim();
        return trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed == "...";
    }
}
