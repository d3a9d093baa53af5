namespace Kai.Cluster.Port;

/// <summary>
/// A kind as registered in a <see cref="KindRegistry"/>: its key, scope, plural resource name, the C# type its
/// objects have and whether it has a status subresource. Instances are unique per registry, so reference
/// equality is identity.
/// </summary>
public sealed class KindInfo
{
    internal KindInfo(KindKey key, KindScope scope, string plural, bool hasStatusSubresource, Type objectType, ObjectParts parts)
    {
        Key = key;
        Scope = scope;
        Plural = plural;
        HasStatusSubresource = hasStatusSubresource;
        ObjectType = objectType;
        Parts = parts;
    }

    public KindKey Key { get; }

    public KindScope Scope { get; }

    public bool IsNamespaced => Scope == KindScope.Namespaced;

    /// <summary>Lower-case plural resource name ("pods"), as used in REST paths and error messages.</summary>
    public string Plural { get; }

    /// <summary>
    /// True when <c>.status</c> is written only through the status subresource: a main-resource replace keeps
    /// the stored status and a status replace keeps the stored spec and metadata.
    /// </summary>
    public bool HasStatusSubresource { get; }

    /// <summary>The C# type of this kind's objects; <see cref="GenericObject"/> for kinds registered without one.</summary>
    public Type ObjectType { get; }

    /// <summary>True for kinds whose objects are <see cref="GenericObject"/>s.</summary>
    public bool IsGeneric => ObjectType == typeof(GenericObject);

    internal ObjectParts Parts { get; }

    public override string ToString() => Key.ToString();
}
