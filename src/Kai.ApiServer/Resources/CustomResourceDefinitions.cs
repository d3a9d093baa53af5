using k8s.Models;
using Kai.ApiServer.Http;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Resources;

/// <summary>
/// The life of CustomResourceDefinitions in the server: KAI's own definitions (embedded in this assembly, the
/// files the Helm chart ships) are installed at start; a definition written through the API is established
/// (served, its status set as the API server sets it) and a deleted one stops being served, with its objects.
/// </summary>
internal static class CustomResourceDefinitions
{
    /// <summary>KAI's CRDs: Queue, PodGroup, BindRequest and Topology.</summary>
    public static IReadOnlyList<V1CustomResourceDefinition> Embedded()
    {
        var assembly = typeof(CustomResourceDefinitions).Assembly;
        var definitions = new List<V1CustomResourceDefinition>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("crds/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"missing resource {name}");
            using var reader = new StreamReader(stream);
            definitions.Add(Parse(reader.ReadToEnd(), name));
        }

        return definitions;
    }

    /// <summary>Reads one CRD document (YAML or JSON).</summary>
    public static V1CustomResourceDefinition Parse(string text, string source)
    {
        var json = YamlJson.Parse(text);
        var crd = KubeJson.Deserialize<V1CustomResourceDefinition>(json);
        if (crd.Kind != "CustomResourceDefinition")
        {
            throw new InvalidOperationException($"{source}: expected a CustomResourceDefinition, found kind {crd.Kind}");
        }

        return crd;
    }

    /// <summary>Stores <paramref name="definitions"/> that are not there yet and establishes every stored definition.</summary>
    public static void InstallAll(ServerContext context, IEnumerable<V1CustomResourceDefinition> definitions)
    {
        var kind = context.Cluster.Kinds.Get<V1CustomResourceDefinition>();
        foreach (var definition in definitions)
        {
            if (context.Cluster.Get(kind, null, definition.Metadata.Name) is null)
            {
                definition.Spec.Conversion ??= new V1CustomResourceConversion { Strategy = "None" };
                context.Cluster.Create(definition);
            }
        }

        foreach (var stored in context.Cluster.List(kind).Items.Cast<V1CustomResourceDefinition>())
        {
            Establish(context, stored);
        }
    }

    /// <summary>Serves the definition's resources and records NamesAccepted and Established in its status.</summary>
    public static V1CustomResourceDefinition Establish(ServerContext context, V1CustomResourceDefinition crd)
    {
        context.Catalog.SetDefinition(crd.Metadata.Name, CustomResources.Build(crd, context.Cluster.Kinds));
        var now = context.Time.GetUtcNow().UtcDateTime;
        var storage = crd.Spec.Versions.First(v => v.Storage).Name;
        var stored = crd.Status?.StoredVersions ?? [];
        var status = new V1CustomResourceDefinitionStatus
        {
            AcceptedNames = crd.Spec.Names,
            StoredVersions = stored.Contains(storage) ? stored : [.. stored, storage],
            Conditions =
            [
                Condition(crd, "NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition(crd, "Established", "InitialNamesAccepted", "the initial names have been accepted", now),
            ],
        };
        var updated = KubeObjects.ShallowCopy(crd);
        updated.Status = status;
        updated.Metadata = crd.Metadata with { ResourceVersion = null };
        return (V1CustomResourceDefinition)context.Cluster.ReplaceStatus(updated);
    }

    /// <summary>Stops serving a removed definition and deletes its objects (those of its storage kind).</summary>
    public static void Remove(ServerContext context, V1CustomResourceDefinition crd)
    {
        var served = context.Catalog.All.Where(r => r.DefinitionName == crd.Metadata.Name).ToList();
        context.Catalog.RemoveDefinition(crd.Metadata.Name);
        foreach (var storage in served.Select(r => r.Storage).Distinct())
        {
            foreach (var obj in context.Cluster.List(storage).Items)
            {
                try
                {
                    context.Cluster.Delete(storage, obj.Metadata.NamespaceProperty, obj.Metadata.Name, gracePeriodSeconds: 0);
                }
                catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
                {
                    // Collected with its owner meanwhile.
                }
            }
        }
    }

    // Keeps the transition time of a condition that already held.
    private static V1CustomResourceDefinitionCondition Condition(V1CustomResourceDefinition crd, string type, string reason, string message, DateTime now) =>
        crd.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True")
        ?? new V1CustomResourceDefinitionCondition { Type = type, Status = "True", Reason = reason, Message = message, LastTransitionTime = now };
}
