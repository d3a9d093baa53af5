using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// What a rule sees of one object: its raw YAML (for presence checks and line numbers) and a place to report.
/// Paths are string keys and int indices from the object's root, e.g. ("spec", "subGroups", 2, "parent").
/// </summary>
internal sealed class ValidationContext(YamlMappingNode root, int lineOffset)
{
    private readonly List<ValidationIssue> _issues = [];
    private ValidationContext? _parent;
    private string _prefix = string.Empty;

    public YamlMappingNode Root => root;

    public IReadOnlyList<ValidationIssue> Issues => _issues;

    public bool HasErrors => _issues.Exists(i => i.Severity == DiagnosticSeverity.Error);

    public void Error(string message, params object[] path) => Add(DiagnosticSeverity.Error, message, path);

    public void Warning(string message, params object[] path) => Add(DiagnosticSeverity.Warning, message, path);

    public void Info(string message, params object[] path) => Add(DiagnosticSeverity.Info, message, path);

    /// <summary>The file line of the key at <paramref name="path"/>, or of its nearest existing ancestor.</summary>
    public int LineOf(params object[] path) => YamlNodes.LineOf(root, path) + lineOffset;

    /// <summary>
    /// A context for a part of this object (e.g. a workload's pod template) read as an object of its own: paths
    /// are relative to <paramref name="part"/>, and its findings are reported here, prefixed with <paramref name="where"/>.
    /// </summary>
    public ValidationContext Within(YamlMappingNode part, string where) =>
        new(part, lineOffset) { _parent = this, _prefix = where + ": " };

    private void Add(DiagnosticSeverity severity, string message, object[] path)
    {
        var issue = new ValidationIssue(severity, _prefix + message, LineOf(path));
        _issues.Add(issue);
        _parent?.AddFromPart(issue);
    }

    private void AddFromPart(ValidationIssue issue)
    {
        var prefixed = issue with { Message = _prefix + issue.Message };
        _issues.Add(prefixed);
        _parent?.AddFromPart(prefixed);
    }
}
