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
    private readonly HashSet<string> _rejectedKinds = new(StringComparer.Ordinal);

    public ManifestSet ToManifestSet() => new(_objects.ToList(), _diagnostics.ToList())
    {
        PriorityClassReferences = _priorityClassReferences.ToList(),
        RejectedKinds = _rejectedKinds.Order(StringComparer.Ordinal).ToList(),
    };

    public void Report(DiagnosticSeverity severity, SourceLocation location, string? objectRef, string message) =>
        _diagnostics.Add(new ManifestDiagnostic(severity, location, objectRef, message));

    public void LoadText(string text, string file)
    {
        var documents = DocumentSplitter.Split(text);
        if (documents.Count == 0)
        {
            var what = text.Trim().Length == 0 ? "the file is empty" : "the file has only comments and document markers, no YAML document";
            Report(DiagnosticSeverity.Warning, new SourceLocation(file, 0, null), null, $"{what}; nothing was loaded from it");
            return;
        }

        var index = 0;
        foreach (var document in documents)
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

        if (Parse(document, position) is not { } stream)
        {
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

    /// <summary>Parses a document's text; null after reporting a syntax error at the line and column of its cause.</summary>
    private YamlStream? Parse(DocumentText document, DocumentPosition position)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(document.Text));
            return stream;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YamlDotNet reports a tab indentation at the start of its mapping and an unclosed '{' or '[' with no
            // position at all (an internal InvalidOperationException); the lint finds those at their real place.
            var (line, column, problem) = YamlLint.FindProblem(document.Text) is { } finding
                ? (finding.Line, finding.Column, finding.Message)
                : ex is YamlException yaml ? ((int)yaml.Start.Line, (int)yaml.Start.Column, yaml.Message.TrimEnd('.')) : (1, 1, "check brackets, quotes and indentation");
            line += position.LineOffset;
            Report(
                DiagnosticSeverity.Error,
                position.At(line),
                null,
                $"YAML syntax error at line {line}, column {column}: {problem}. This document was skipped; the others still load.");
            return null;
        }
    }

    private void LoadObject(YamlMappingNode map, string? sourceText, DocumentPosition position)
    {
        var location = position.At((int)map.Start.Line + position.LineOffset);
        var apiVersion = YamlNodes.ScalarText(map.Get("apiVersion"));
        var kind = YamlNodes.ScalarText(map.Get("kind"));
        var metadata = map.GetMapping("metadata");
        var identity = new ObjectIdentity(
            YamlNodes.ScalarText(metadata?.Get("name")),
            YamlNodes.ScalarText(metadata?.Get("generateName")),
            YamlNodes.ScalarText(metadata?.Get("namespace")));

        if (apiVersion is null || kind is null)
        {
            ReportMissingType(apiVersion, kind, location);
        }
        else if (apiVersion == "v1" && kind == "List")
        {
            LoadListItems(map, position);
        }
        else if (ManifestKinds.Find(apiVersion, kind) is { } manifestKind)
        {
            LoadKnownObject(manifestKind, identity, map, sourceText, position);
        }
        else
        {
            ReportUnknownKind(apiVersion, kind, identity, location);
        }
    }

    private void ReportMissingType(string? apiVersion, string? kind, SourceLocation location)
    {
        if (apiVersion is null && kind is null)
        {
            Report(DiagnosticSeverity.Warning, location, null, "this document has no apiVersion and no kind, so it is not a Kubernetes object; ignored");
            return;
        }

        var missing = apiVersion is null ? "apiVersion" : "kind";
        Report(DiagnosticSeverity.Error, location, null, $"{missing} is missing; every manifest needs both apiVersion and kind, e.g. apiVersion: v1 and kind: Pod");
    }

    private void ReportUnknownKind(string apiVersion, string kind, ObjectIdentity identity, SourceLocation location)
    {
        var other = ManifestKinds.FindByKindName(kind);
        var hint = other is not null
            ? $" (the scheduler reads {kind} as {other.ApiVersion})"
            : NameSuggestions.Closest(kind, ManifestKinds.All.Select(k => k.Kind)) is { } suggestion
                ? $" (did you mean {suggestion}? kinds are case-sensitive; {suggestion} is {ManifestKinds.FindByKindName(suggestion)!.ApiVersion})"
                : string.Empty;
        var shownNamespace = string.IsNullOrEmpty(identity.Namespace) && !ClusterScopedKinds.Contains(kind) ? DefaultNamespace : identity.Namespace;
        Report(DiagnosticSeverity.Warning, location, FormatRef(kind, shownNamespace, identity.Name), $"kind {kind} ({apiVersion}) is not handled by the scheduler; ignored{hint}");
    }

    private void LoadKnownObject(ManifestKind manifestKind, ObjectIdentity identity, YamlMappingNode map, string? sourceText, DocumentPosition position)
    {
        var kind = manifestKind.Kind;
        var location = position.At((int)map.Start.Line + position.LineOffset);
        var ns = manifestKind.Namespaced ? (string.IsNullOrEmpty(identity.Namespace) ? DefaultNamespace : identity.Namespace) : null;
        var name = identity.Name;
        if (string.IsNullOrEmpty(name) && string.IsNullOrEmpty(identity.GenerateName))
        {
            Report(DiagnosticSeverity.Error, location, null, $"metadata.name is missing; every {kind} needs a name, e.g. metadata: {{name: my-{kind.ToLowerInvariant()}}}");
            _rejectedKinds.Add(kind);
            return;
        }

        var objectRef = FormatRef(kind, ns, string.IsNullOrEmpty(name) ? identity.GenerateName + "*" : name)!;
        var context = new ValidationContext(map, position.LineOffset);
        var loaded = Check(manifestKind, identity with { Namespace = ns }, map, sourceText, context);
        foreach (var issue in context.Issues)
        {
            Report(issue.Severity, position.At(issue.Line), objectRef, issue.Message);
        }

        if (loaded is null)
        {
            _rejectedKinds.Add(kind);
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

        Keep(new LoadedObject(loaded, location), manifestKind, objectRef, context.LineOf("spec", "priorityClassName"), position);
    }

    /// <summary>Adds an object that passed its checks, unless an object of the same kind and name came first.</summary>
    private void Keep(LoadedObject entry, ManifestKind manifestKind, string objectRef, int priorityClassLine, DocumentPosition position)
    {
        var metadata = entry.Object.Metadata;
        if (!string.IsNullOrEmpty(metadata.Name))
        {
            // An object with only a generateName gets a unique name from the cluster when it is created, as from the API server.
            var key = (manifestKind.Key, metadata.NamespaceProperty ?? string.Empty, metadata.Name);
            if (_loadedKeys.TryGetValue(key, out var first))
            {
                Report(
                    DiagnosticSeverity.Error,
                    entry.Location,
                    objectRef,
                    $"{objectRef} is defined twice; the first definition ({first}) is kept and this one is ignored. Give each object its own name");
                _rejectedKinds.Add(manifestKind.Kind);
                return;
            }

            _loadedKeys.Add(key, entry.Location);
        }

        _objects.Add(entry);
        if (entry.Object is V1Pod { Spec.PriorityClassName: { Length: > 0 } className })
        {
            _priorityClassReferences.Add(new PriorityClassReference(entry, objectRef, className, position.At(priorityClassLine)));
        }
    }

    /// <summary>
    /// The API server's name rules: every kind read here is named by a DNS-1123 subdomain (a generateName is checked
    /// as such a name with its suffix still to come), and a namespace is a DNS-1123 label.
    /// </summary>
    private static void CheckNames(string kind, ObjectIdentity identity, ValidationContext context)
    {
        var (name, generateName, ns) = (identity.Name, identity.GenerateName, identity.Namespace);
        if (kind == "DeviceClass" && !string.IsNullOrEmpty(name) && ObjectNames.SubdomainProblem(name) is { } classProblem)
        {
            // KAI's own DRA tests name their class after the resource (nvidia.com/gpu); claims refer to it by that name.
            context.Warning($"metadata.name \"{name}\" is not a valid DeviceClass name: it {classProblem}. The API server would reject it; it is loaded so that claims naming it resolve", "metadata", "name");
        }
        else if (!string.IsNullOrEmpty(name) && ObjectNames.SubdomainProblem(name) is { } problem)
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

    /// <summary>Names, raw rules, deserialisation, then typed rules; null when any of them found an error.</summary>
    private static IKubernetesObject<V1ObjectMeta>? Check(ManifestKind kind, ObjectIdentity identity, YamlMappingNode map, string? sourceText, ValidationContext context)
    {
        try
        {
            CheckNames(kind.Kind, identity, context);
            if (context.HasErrors)
            {
                return null;
            }

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
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A rule tripping over an input nobody foresaw must still not take the other objects down; its
            // exception text describes our code, not the input, so it is not shown.
            context.Error($"the {kind.Kind} could not be read as the scheduler expects; it was skipped. Check its fields against the Kubernetes or KAI reference");
            return null;
        }
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

    /// <summary>What metadata says about an object's identity, as written (namespace defaulted later).</summary>
    private sealed record ObjectIdentity(string? Name, string? GenerateName, string? Namespace);

    /// <summary>A document of a file, and how its lines map to file lines.</summary>
    private sealed record DocumentPosition(string File, int Document, int LineOffset)
    {
        public SourceLocation At(int line) => new(File, Document, line);
    }
}
