using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// What a rule sees of one object: its raw YAML (for presence checks and line numbers) and a place to report.
/// Paths are string keys and int indices from the object's root, e.g. ("spec", "subGroups", 2, "parent").
/// </summary>
internal sealed class ValidationContext(YamlMappingNode root, int lineOffset)
{
    private readonly List<ValidationIssue> _issues = [];

    public YamlMappingNode Root => root;

    public IReadOnlyList<ValidationIssue> Issues => _issues;

    public bool HasErrors => _issues.Exists(i => i.Severity == DiagnosticSeverity.Error);

    public void Error(string message, params object[] path) =>
        _issues.Add(new ValidationIssue(DiagnosticSeverity.Error, message, LineOf(path)));

    public void Warning(string message, params object[] path) =>
        _issues.Add(new ValidationIssue(DiagnosticSeverity.Warning, message, LineOf(path)));

    public void Info(string message, params object[] path) =>
        _issues.Add(new ValidationIssue(DiagnosticSeverity.Info, message, LineOf(path)));

    /// <summary>The file line of the key at <paramref name="path"/>, or of its nearest existing ancestor.</summary>
    public int LineOf(params object[] path) => YamlNodes.LineOf(root, path) + lineOffset;
}
