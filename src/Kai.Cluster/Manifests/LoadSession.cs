using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// One load: documents are read in order, each object is checked and either kept or reported, and duplicates are
/// caught across all files of the load. Nothing here throws on bad input.
/// </summary>
internal sealed class LoadSession
{
    private const string DefaultNamespace = "default";

    private readonly List<LoadedObject> _objects = [];
    private readonly List<ManifestDiagnostic> _diagnostics = [];
    private readonly Dictionary<(KindKey Kind, string Namespace, string Name), SourceLocation> _loadedKeys = [];
    private readonly List<PriorityClassReference> _priorityClassReferences = [];

    public ManifestSet ToManifestSet() => new(_objects.ToList(), _diagnostics.ToList()) { PriorityClassReferences = _priorityClassReferences.ToList() };

    public void Report(DiagnosticSeverity severity, SourceLocation location, string? objectRef, string message) =>
        _diagnostics.Add(new ManifestDiagnostic(severity, location, objectRef, message));

    public void LoadText(string text, string file)
    {
        var index = 0;
        foreach (var document in DocumentSplitter.Split(text))
        {
            index++;
            LoadDocument(document, new DocumentPosition(file, index, document.StartLine - 1));
        }
    }

    private void LoadDocument(DocumentText document, DocumentPosition position)
    {
        if (!YamlSafety.TryCheckDepth(document.Text, out var deepLine, out var depthError))
        {
            Report(DiagnosticSeverity.Error, position.At(deepLine + position.LineOffset), null, depthError);
            return;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(document.Text));
        }
        catch (YamlException ex)
        {
            var line = (int)ex.Start.Line + position.LineOffset;
            Report(
                DiagnosticSeverity.Error,
                position.At(line),
                null,
                $"YAML syntax error at line {line}, column {ex.Start.Column}: {ex.Message.TrimEnd('.')}. This document was skipped; the others still load.");
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet throws InvalidOperationException, without a position, on e.g. an unclosed "[".
            Report(
                DiagnosticSeverity.Error,
                position.At(document.StartLine),
                null,
                $"YAML syntax error in this document ({ex.Message}); check brackets, quotes and indentation. This document was skipped; the others still load.");
            return;
        }

        foreach (var yamlDocument in stream.Documents)
        {
            var root = yamlDocument.RootNode;
            if (root is YamlScalarNode && YamlNodes.ScalarText(root) is null)
            {
                continue;
            }

            if (!YamlSafety.TryCheckAliases(root, out var aliasError))
            {
                Report(DiagnosticSeverity.Error, position.At((int)root.Start.Line + position.LineOffset), null, aliasError);
                continue;
            }

            if (root is not YamlMappingNode map)
            {
                Report(
                    DiagnosticSeverity.Error,
                    position.At((int)root.Start.Line + position.LineOffset),
                    null,
                    $"a manifest must be a mapping with apiVersion, kind and metadata; found {YamlNodes.Describe(root)}");
                continue;
            }

            // The document's own text keeps KubernetesClient's error positions in line with the file; after merge keys
            // are expanded only the tree is right, and it is written out for KubernetesClient instead.
            var merged = YamlMergeKeys.Expand(map);
            LoadObject(map, stream.Documents.Count == 1 && !merged ? document.Text : null, position);
        }
    }

    private void LoadObject(YamlMappingNode map, string? sourceText, DocumentPosition position)
    {
        var location = position.At((int)map.Start.Line + position.LineOffset);
        var apiVersion = YamlNodes.ScalarText(map.Get("apiVersion"));
        var kind = YamlNodes.ScalarText(map.Get("kind"));
        var metadata = map.GetMapping("metadata");
        var name = YamlNodes.ScalarText(metadata?.Get("name"));
        var ns = YamlNodes.ScalarText(metadata?.Get("namespace"));

        if (apiVersion is null || kind is null)
        {
            if (apiVersion is null && kind is null)
            {
                Report(DiagnosticSeverity.Warning, location, null, "this document has no apiVersion and no kind, so it is not a Kubernetes object; ignored");
            }
            else
            {
                var missing = apiVersion is null ? "apiVersion" : "kind";
                Report(DiagnosticSeverity.Error, location, null, $"{missing} is missing; every manifest needs both apiVersion and kind, e.g. apiVersion: v1 and kind: Pod");
            }

            return;
        }

        if (apiVersion == "v1" && kind == "List")
        {
            LoadListItems(map, position);
            return;
        }

        var manifestKind = ManifestKinds.Find(apiVersion, kind);
        if (manifestKind is null)
        {
            var other = ManifestKinds.FindByKindName(kind);
            var hint = other is null ? string.Empty : $" (the scheduler reads {kind} as {other.ApiVersion})";
            var shownNamespace = string.IsNullOrEmpty(ns) && !ClusterScopedKinds.Contains(kind) ? DefaultNamespace : ns;
            Report(DiagnosticSeverity.Warning, location, FormatRef(kind, shownNamespace, name), $"kind {kind} ({apiVersion}) is not handled by the scheduler; ignored{hint}");
            return;
        }

        if (manifestKind.Namespaced && string.IsNullOrEmpty(ns))
        {
            ns = DefaultNamespace;
        }

        var generateName = YamlNodes.ScalarText(metadata?.Get("generateName"));
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(generateName))
        {
            Report(DiagnosticSeverity.Error, location, null, $"metadata.name is missing; every {kind} needs a name, e.g. metadata: {{name: my-{kind.ToLowerInvariant()}}}");
            return;
        }

        var objectRef = FormatRef(kind, manifestKind.Namespaced ? ns : null, string.IsNullOrEmpty(name) ? generateName + "*" : name);
        var context = new ValidationContext(map, position.LineOffset);
        IKubernetesObject<V1ObjectMeta>? loaded;
        try
        {
            CheckNames(kind, name, generateName, manifestKind.Namespaced ? ns : null, context);
            loaded = context.HasErrors ? null : Check(manifestKind, map, sourceText, context);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A rule tripping over an input nobody foresaw must still not take the other objects down.
            context.Error($"the {kind} could not be checked ({ex.GetType().Name}: {ex.Message}); it was skipped");
            loaded = null;
        }

        foreach (var issue in context.Issues)
        {
            Report(issue.Severity, position.At(issue.Line), objectRef, issue.Message);
        }

        if (loaded is null)
        {
            return;
        }

        if (manifestKind.Namespaced)
        {
            loaded.Metadata.NamespaceProperty = ns;
        }
        else if (!string.IsNullOrEmpty(loaded.Metadata.NamespaceProperty))
        {
            Report(
                DiagnosticSeverity.Warning,
                position.At(context.LineOf("metadata", "namespace")),
                objectRef,
                $"metadata.namespace \"{loaded.Metadata.NamespaceProperty}\" was ignored: {kind} is cluster-scoped");
            loaded.Metadata.NamespaceProperty = null;
        }

        if (string.IsNullOrEmpty(name))
        {
            // generateName: the cluster picks a unique name when the object is created, as the API server does.
            _objects.Add(new LoadedObject(loaded, location));
            return;
        }

        var key = (manifestKind.Key, manifestKind.Namespaced ? ns! : string.Empty, name);
        if (_loadedKeys.TryGetValue(key, out var first))
        {
            Report(
                DiagnosticSeverity.Error,
                location,
                objectRef,
                $"{objectRef} is defined twice; the first definition ({first}) is kept and this one is ignored. Give each object its own name");
            return;
        }

        _loadedKeys.Add(key, location);
        var entry = new LoadedObject(loaded, location);
        _objects.Add(entry);
        if (loaded is V1Pod { Spec.PriorityClassName: { Length: > 0 } className })
        {
            _priorityClassReferences.Add(new PriorityClassReference(entry, objectRef!, className, position.At(context.LineOf("spec", "priorityClassName"))));
        }
    }

    /// <summary>
    /// The API server's name rules: every kind read here is named by a DNS-1123 subdomain (a generateName is checked
    /// as such a name with its suffix still to come), and a namespace is a DNS-1123 label.
    /// </summary>
    private static void CheckNames(string kind, string? name, string? generateName, string? ns, ValidationContext context)
    {
        if (!string.IsNullOrEmpty(name) && ObjectNames.SubdomainProblem(name) is { } problem)
        {
            context.Error($"metadata.name \"{name}\" is not a valid {kind} name: it {problem}", "metadata", "name");
        }
        else if (string.IsNullOrEmpty(name) && ObjectNames.SubdomainProblem(generateName!.EndsWith('-') ? generateName[..^1] + "a" : generateName) is { } prefixProblem)
        {
            context.Error($"metadata.generateName \"{generateName}\" is not a valid prefix for a {kind} name: it {prefixProblem}", "metadata", "generateName");
        }

        if (ns is not null && ObjectNames.LabelProblem(ns) is { } namespaceProblem)
        {
            context.Error($"metadata.namespace \"{ns}\" is not a valid namespace name (a DNS-1123 label): it {namespaceProblem}", "metadata", "namespace");
        }
    }

    /// <summary>Raw rules, then deserialisation, then typed rules; null when any of them found an error.</summary>
    private static IKubernetesObject<V1ObjectMeta>? Check(ManifestKind kind, YamlMappingNode map, string? sourceText, ValidationContext context)
    {
        kind.ValidateRaw?.Invoke(context);
        if (context.HasErrors)
        {
            return null;
        }

        var loaded = ObjectReader.Read(kind, map, sourceText, context);
        if (loaded is null)
        {
            return null;
        }

        loaded.Metadata ??= new V1ObjectMeta();
        kind.ValidateTyped?.Invoke(loaded, context);
        return context.HasErrors ? null : loaded;
    }

    private void LoadListItems(YamlMappingNode list, DocumentPosition position)
    {
        var items = list.Get("items");
        if (items is null || (items is YamlScalarNode && YamlNodes.ScalarText(items) is null))
        {
            return;
        }

        if (items is not YamlSequenceNode sequence)
        {
            Report(DiagnosticSeverity.Error, position.At((int)items.Start.Line + position.LineOffset), null, $"items of a List must be a list of objects; found {YamlNodes.Describe(items)}");
            return;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode item)
            {
                LoadObject(item, null, position);
            }
            else
            {
                Report(
                    DiagnosticSeverity.Error,
                    position.At((int)sequence.Children[i].Start.Line + position.LineOffset),
                    null,
                    $"items[{i}] of the List must be an object with apiVersion, kind and metadata; found {YamlNodes.Describe(sequence.Children[i])}");
            }
        }
    }

    // Unknown kinds are shown like the API server would store them: most are namespaced ("default" when not given).
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass", "PersistentVolume",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService", "RuntimeClass", "CSIDriver",
        "IngressClass", "DeviceClass", "ResourceSlice", "SchedulingShard", "Config",
    };

    private static string? FormatRef(string kind, string? ns, string? name) => name is null
        ? null
        : string.IsNullOrEmpty(ns) ? $"{kind} {name}" : $"{kind} {ns}/{name}";

    /// <summary>A document of a file, and how its lines map to file lines.</summary>
    private sealed record DocumentPosition(string File, int Document, int LineOffset)
    {
        public SourceLocation At(int line) => new(File, Document, line);
    }
}
