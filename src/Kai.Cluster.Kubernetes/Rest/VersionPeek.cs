using System.Buffers;
using System.Text.Json;

namespace Kai.Cluster.Kubernetes.Rest;

/// <summary>
/// Reads an object's identity — <c>metadata.namespace</c>, <c>name</c> and <c>resourceVersion</c> — from its JSON
/// without deserialising it: the fields before <c>metadata</c> are skipped and reading stops once <c>metadata</c>
/// ends, so the rest of the object is never read. It lets the backend tell that an answer or a watch event carries
/// a version it has already decoded (see <see cref="IKnownVersions"/>).
/// </summary>
internal static class VersionPeek
{
    private static readonly byte[] MetadataName = "metadata"u8.ToArray();
    private static readonly byte[] NameName = "name"u8.ToArray();
    private static readonly byte[] NamespaceName = "namespace"u8.ToArray();
    private static readonly byte[] ResourceVersionName = "resourceVersion"u8.ToArray();

    /// <summary>The object's identity; false when it is not an object, or has no metadata with a name and a resource version.</summary>
    public static bool TryRead(ReadOnlySequence<byte> json, out ObjectIdentity identity)
    {
        identity = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            return TryRead(ref reader, out identity);
        }
        catch (JsonException)
        {
            // Malformed: the caller deserialises it and reports the error as it always did.
            return false;
        }
    }

    private static bool TryRead(ref Utf8JsonReader reader, out ObjectIdentity identity)
    {
        identity = default;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals(MetadataName);
            reader.Read();
            if (isMetadata)
            {
                return reader.TokenType == JsonTokenType.StartObject && TryReadMetadata(ref reader, out identity);
            }

            reader.Skip();
        }

        return false;
    }

    private static bool TryReadMetadata(ref Utf8JsonReader reader, out ObjectIdentity identity)
    {
        string? ns = null, name = null, resourceVersion = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals(NameName);
            var isNamespace = !isName && reader.ValueTextEquals(NamespaceName);
            var isVersion = !isName && !isNamespace && reader.ValueTextEquals(ResourceVersionName);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
            }
            else if (isName)
            {
                name = reader.GetString();
            }
            else if (isNamespace)
            {
                ns = reader.GetString();
            }
            else if (isVersion)
            {
                resourceVersion = reader.GetString();
            }
        }

        identity = new ObjectIdentity(ns, name ?? string.Empty, resourceVersion ?? string.Empty);
        return name is { Length: > 0 } && resourceVersion is { Length: > 0 };
    }
}

/// <summary>An object's namespace (null for a cluster-scoped one), name and resource version, as its JSON carries them.</summary>
internal readonly record struct ObjectIdentity(string? Namespace, string Name, string ResourceVersion);
