using System.Reflection;

namespace Kai.Cluster.Port;

/// <summary>
/// A kind as registered in a <see cref="KindRegistry"/>: its key, scope, plural resource name and
/// whether it has a status subresource. Instances are unique per registry, so reference equality is identity.
/// </summary>
public sealed class KindInfo
{
    internal KindInfo(KindKey key, KindScope scope, string plural, bool hasStatusSubresource, PropertyInfo? specProperty, PropertyInfo? statusProperty)
    {
        Key = key;
        Scope = scope;
        Plural = plural;
        HasStatusSubresource = hasStatusSubresource;
        SpecProperty = specProperty;
        StatusProperty = statusProperty;
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

    internal PropertyInfo? SpecProperty { get; }

    internal PropertyInfo? StatusProperty { get; }

    public override string ToString() => Key.ToString();
}
