using System.Reflection;

namespace Kai.Cluster.Port;

/// <summary>
/// A kind as registered in a <see cref="KindRegistry"/>: its key, CLR type, scope, plural resource name and
/// whether it has a status subresource. Instances are unique per registry, so reference equality is identity.
/// </summary>
public sealed class KindInfo
{
    internal KindInfo(KindKey key, Type clrType, KindScope scope, string plural, bool hasStatusSubresource, int index)
    {
        Key = key;
        ClrType = clrType;
        Scope = scope;
        Plural = plural;
        HasStatusSubresource = hasStatusSubresource;
        Index = index;
        SpecProperty = clrType.GetProperty("Spec", BindingFlags.Public | BindingFlags.Instance);
        StatusProperty = clrType.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance);
    }

    public KindKey Key { get; }

    public Type ClrType { get; }

    public KindScope Scope { get; }

    public bool IsNamespaced => Scope == KindScope.Namespaced;

    /// <summary>Lower-case plural resource name ("pods"), as used in REST paths and error messages.</summary>
    public string Plural { get; }

    /// <summary>
    /// True when <c>.status</c> is written only through the status subresource: a main-resource replace keeps
    /// the stored status and a status replace keeps the stored spec and metadata.
    /// </summary>
    public bool HasStatusSubresource { get; }

    /// <summary>Registration order within the registry; stable for the registry's lifetime.</summary>
    public int Index { get; }

    internal PropertyInfo? SpecProperty { get; }

    internal PropertyInfo? StatusProperty { get; }

    public override string ToString() => Key.ToString();
}
