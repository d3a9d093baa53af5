namespace Kai.Cluster.Manifests;

/// <summary>
/// Reads Kubernetes manifests (YAML or JSON, one or many documents per file) into typed objects for the kinds the
/// scheduler uses: v1 Node, Pod and List; scheduling.k8s.io/v1 PriorityClass; KAI's Queue, PodGroup, BindRequest and
/// Topology. Bad input never throws and never stops valid objects from loading: it becomes a diagnostic.
/// Output order (objects and diagnostics) follows the input, with directory contents sorted by ordinal path.
/// </summary>
public static class ManifestLoader
{
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    /// <summary>
    /// Loads files and directories. Directories are searched recursively for *.yaml, *.yml and *.json (hidden files
    /// and folders skipped); a file named explicitly is read whatever its extension. A path reached twice is read once.
    /// </summary>
    public static ManifestSet LoadPaths(IEnumerable<string> paths)
    {
        var session = new LoadSession();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                LoadFile(session, path, visited);
            }
            else if (Directory.Exists(path))
            {
                LoadDirectory(session, path, visited);
            }
            else
            {
                session.Report(
                    DiagnosticSeverity.Error,
                    new SourceLocation(path, 0, null),
                    null,
                    "no such file or directory; give a manifest file (.yaml, .yml, .json) or a directory that contains them");
            }
        }

        return session.ToManifestSet();
    }

    /// <summary>Loads manifests from text, e.g. standard input; <paramref name="fileName"/> is used in locations.</summary>
    public static ManifestSet LoadText(string text, string fileName)
    {
        var session = new LoadSession();
        session.LoadText(text, fileName);
        return session.ToManifestSet();
    }

    private static void LoadDirectory(LoadSession session, string directory, HashSet<string> visited)
    {
        List<string> files;
        try
        {
            var options = new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
                MaxRecursionDepth = 64,
            };
            files = Directory.EnumerateFiles(directory, "*", options)
                .Where(f => ManifestExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            session.Report(DiagnosticSeverity.Error, new SourceLocation(directory, 0, null), null, $"the directory cannot be read: {ex.Message}");
            return;
        }

        if (files.Count == 0)
        {
            session.Report(DiagnosticSeverity.Warning, new SourceLocation(directory, 0, null), null, "the directory has no .yaml, .yml or .json files; nothing was loaded from it");
            return;
        }

        foreach (var file in files)
        {
            LoadFile(session, file, visited);
        }
    }

    private static void LoadFile(LoadSession session, string file, HashSet<string> visited)
    {
        if (!visited.Add(Path.GetFullPath(file)))
        {
            return;
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            session.Report(DiagnosticSeverity.Error, new SourceLocation(file, 0, null), null, $"the file cannot be read: {ex.Message}");
            return;
        }

        session.LoadText(text, file);
    }
}
