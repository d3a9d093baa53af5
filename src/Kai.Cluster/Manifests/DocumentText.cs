namespace Kai.Cluster.Manifests;

/// <summary>One YAML document's text and the 1-based file line its first line sits on.</summary>
internal sealed record DocumentText(int StartLine, string Text);
