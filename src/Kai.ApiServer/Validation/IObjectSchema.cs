using System.Text.Json.Nodes;
using k8s.Models;

namespace Kai.ApiServer.Validation;

/// <summary>What the server knows about the shape of a resource's objects.</summary>
internal interface IObjectSchema
{
    /// <summary>
    /// Walks <paramref name="body"/> (the whole object, as sent): appends the path of every field the schema
    /// does not know to <paramref name="unknownFields"/> ("spec.foo", "spec.containers[0].bar"), and when
    /// <paramref name="normalize"/> is set removes them (pruning), removes nulls and fills in defaults, as the
    /// API server does for custom resources before storing them.
    /// </summary>
    /// <returns>Whether normalising changed the body (something pruned, a null dropped, a default filled in).</returns>
    bool Walk(JsonObject body, List<string> unknownFields, bool normalize);

    /// <summary>Value checks (types, enums, ranges, patterns, required fields); empty when valid.</summary>
    IReadOnlyList<V1StatusCause> Validate(JsonObject body);
}
