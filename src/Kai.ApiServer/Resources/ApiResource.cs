using Kai.ApiServer.Admission;
using Kai.ApiServer.Tables;
using Kai.ApiServer.Validation;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Resources;

/// <summary>
/// One REST resource the server serves (<c>/apis/{Group}/{Version}/…/{Plural}</c>): its names for discovery, the
/// kind it is stored as, and what the server does for it — selectable fields, table columns, schema, admission.
/// </summary>
internal sealed class ApiResource
{
    public required string Group { get; init; }

    public required string Version { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string? ListKindName { get; init; }

    public string ListKind => ListKindName ?? Kind + "List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The stored kind; objects cross the wire as <see cref="WireType"/>.</summary>
    public required KindInfo Storage { get; init; }

    /// <summary>The conversion between stored and served objects; null when they are the same.</summary>
    public ObjectView? View { get; init; }

    /// <summary>Defined by a CustomResourceDefinition: list items keep apiVersion and kind, strategic merge patch is refused.</summary>
    public bool IsCustom { get; init; }

    /// <summary>Name of the defining CustomResourceDefinition, for custom resources.</summary>
    public string? DefinitionName { get; init; }

    /// <summary>The CRD version's openAPIV3Schema as JSON, for OpenAPI documents (custom resources only).</summary>
    public System.Text.Json.Nodes.JsonObject? DefinitionSchema { get; init; }

    public bool HasStatus { get; init; }

    /// <summary>Pods only: the <c>binding</c> and <c>eviction</c> subresources.</summary>
    public bool HasPodSubresources { get; init; }

    /// <summary>Field selectors this resource supports; metadata.name (and metadata.namespace) always.</summary>
    public required IReadOnlyDictionary<string, FieldAccessor> Fields { get; init; }

    public required ITablePrinter Table { get; init; }

    public required IObjectSchema Schema { get; init; }

    public IAdmission? Admission { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public Type WireType => View?.WireType ?? Storage.ObjectType;

    /// <summary>"pods", or "queues.scheduling.run.ai" as in error messages.</summary>
    public string QualifiedPlural => Group.Length == 0 ? Plural : Plural + "." + Group;

    public static IReadOnlyList<string> AllVerbs { get; } = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public override string ToString() => $"{ApiVersion} {Plural}";
}
