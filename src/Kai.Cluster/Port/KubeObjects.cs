using System.Reflection;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// Helpers to build modified copies of shared objects instead of mutating them (see the ownership rule on
/// <see cref="ICluster"/>).
/// </summary>
public static class KubeObjects
{
    // object.MemberwiseClone is protected; an open-instance delegate to it gives a fast top-level copy of any
    // class (records included: their generated Clone does the same field copy).
    private static readonly Func<object, object> MemberwiseCloneFunc = (Func<object, object>)Delegate.CreateDelegate(
        typeof(Func<object, object>),
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!);

    /// <summary>A deep copy through a Kubernetes JSON round-trip. Costly: use it off the hot path.</summary>
    public static T Clone<T>(T obj)
        where T : class =>
        KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    /// <summary>A copy of the top-level object only: metadata, spec and status are shared with the original.</summary>
    public static T ShallowCopy<T>(T obj)
        where T : class =>
        (T)MemberwiseCloneFunc(obj);

    /// <summary>A shallow copy carrying <paramref name="metadata"/> instead of the original's.</summary>
    public static T WithMetadata<T>(T obj, V1ObjectMeta metadata)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var copy = ShallowCopy(obj);
        copy.Metadata = metadata;
        return copy;
    }

    /// <summary>
    /// A shallow copy whose metadata is a private copy (labels, annotations, owner references and finalizers
    /// included) that <paramref name="edit"/> may change freely; spec and status stay shared.
    /// </summary>
    public static T WithEditedMetadata<T>(T obj, Action<V1ObjectMeta> edit)
        where T : class, IMetadata<V1ObjectMeta>
    {
        var source = obj.Metadata ?? new V1ObjectMeta();
        var metadata = source with
        {
            Labels = source.Labels is null ? null : new Dictionary<string, string>(source.Labels),
            Annotations = source.Annotations is null ? null : new Dictionary<string, string>(source.Annotations),
            OwnerReferences = source.OwnerReferences is null ? null : [.. source.OwnerReferences],
            Finalizers = source.Finalizers is null ? null : [.. source.Finalizers],
        };
        edit(metadata);
        return WithMetadata(obj, metadata);
    }

    /// <summary>
    /// A shallow copy whose metadata is a private copy with a private annotations dictionary (made when there was none)
    /// that <paramref name="edit"/> may change freely; labels, owner references, finalizers, spec and status stay shared
    /// (stored objects are never mutated). The result equals <see cref="WithEditedMetadata{T}"/> with the same edit of
    /// <c>Annotations ??= new()</c>, for three dictionaries and a list fewer.
    /// </summary>
    public static T WithEditedAnnotations<T>(T obj, Action<IDictionary<string, string>> edit)
        where T : class, IMetadata<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(edit);
        var source = obj.Metadata ?? new V1ObjectMeta();
        var annotations = source.Annotations is null ? new Dictionary<string, string>() : new Dictionary<string, string>(source.Annotations);
        edit(annotations);
        return WithMetadata(obj, source with { Annotations = annotations });
    }

    /// <summary>
    /// The annotations a binding leaves on its pod, as the API server sets them: the pod's own, with the binding's
    /// <paramref name="added"/> set over them (a new dictionary; neither input is changed).
    /// </summary>
    public static Dictionary<string, string> BindingAnnotations(IDictionary<string, string>? own, IEnumerable<KeyValuePair<string, string>> added)
    {
        var merged = new Dictionary<string, string>(own ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in added)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>A reference to <paramref name="obj"/> for events and owner links.</summary>
    public static V1ObjectReference ReferenceTo(IKubernetesObject<V1ObjectMeta> obj, KindRegistry kinds)
    {
        var key = KeyOf(obj, kinds);
        return new V1ObjectReference
        {
            ApiVersion = key.ApiVersion,
            Kind = key.Kind,
            NamespaceProperty = obj.Metadata?.NamespaceProperty,
            Name = obj.Metadata?.Name,
            Uid = obj.Metadata?.Uid,
            ResourceVersion = obj.Metadata?.ResourceVersion,
        };
    }

    /// <summary>An owner reference to <paramref name="owner"/> (controller when <paramref name="controller"/>).</summary>
    public static V1OwnerReference OwnerReferenceTo(IKubernetesObject<V1ObjectMeta> owner, KindRegistry kinds, bool controller = false)
    {
        var key = KeyOf(owner, kinds);
        return new V1OwnerReference
        {
            ApiVersion = key.ApiVersion,
            Kind = key.Kind,
            Name = owner.Metadata.Name,
            Uid = owner.Metadata.Uid,
            Controller = controller ? true : null,
        };
    }

    // The registered kind's key; an unregistered type is described by the apiVersion and kind it carries.
    private static KindKey KeyOf(IKubernetesObject<V1ObjectMeta> obj, KindRegistry kinds) =>
        kinds.TryGet(obj.GetType(), out var info) ? info.Key : new KindKey(obj.ApiVersion, obj.Kind);
}
