using System.Collections.Concurrent;
using System.Reflection;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// The kinds a cluster knows, registered once each. A registry is a value: create one, register the kinds the
/// process uses (built-ins via <see cref="CreateWithBuiltIns"/>, CRDs by their owners) and hand it to a cluster.
/// Registration is thread-safe and may happen after a cluster was created; lookups are lock-free.
/// </summary>
public sealed class KindRegistry
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Type, KindInfo> _byType = new();
    private readonly ConcurrentDictionary<KindKey, KindInfo> _byKey = new();
    private KindInfo[] _all = [];

    /// <summary>All registrations in registration order.</summary>
    public IReadOnlyList<KindInfo> All => Volatile.Read(ref _all);

    /// <summary>
    /// A registry with the core kinds the scheduler touches: Pod, Node, Namespace, Event, ConfigMap (core/v1),
    /// PriorityClass, Lease and PodDisruptionBudget.
    /// </summary>
    public static KindRegistry CreateWithBuiltIns()
    {
        var registry = new KindRegistry();
        registry.Register<V1Pod>(KindScope.Namespaced);
        registry.Register<V1Node>(KindScope.Cluster);
        registry.Register<V1Namespace>(KindScope.Cluster);
        registry.Register<Corev1Event>(KindScope.Namespaced);
        registry.Register<V1ConfigMap>(KindScope.Namespaced);
        registry.Register<V1PriorityClass>(KindScope.Cluster);
        registry.Register<V1Lease>(KindScope.Namespaced);
        registry.Register<V1PodDisruptionBudget>(KindScope.Namespaced);
        return registry;
    }

    /// <summary>
    /// Registers <typeparamref name="T"/> from its <see cref="KubernetesEntityAttribute"/>. The status subresource
    /// defaults to "the type has a public <c>Status</c> property".
    /// </summary>
    /// <exception cref="ArgumentException">No attribute, or the type or key is already registered.</exception>
    public KindInfo Register<T>(KindScope scope, bool? hasStatusSubresource = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>(inherit: false);
        if (!KindKey.TryFromAttribute(entity, out var key))
        {
            throw KindKey.NoEntity(typeof(T));
        }

        // Some generated models carry no plural (and a prefixed type name, Resourcev1ResourceClaim): derive it from
        // the kind as the API server does for CRDs without one.
        var plural = entity.PluralName;
        if (string.IsNullOrEmpty(plural))
        {
            plural = DefaultPlural(key.Kind);
        }

        return Register<T>(key, plural, scope, hasStatusSubresource);
    }

    /// <summary>The lower-case English plural of a kind (<c>Policy</c> → <c>policies</c>, <c>Class</c> → <c>classes</c>).</summary>
    internal static string DefaultPlural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        if (lower.EndsWith('y') && lower.Length > 1 && !"aeiou".Contains(lower[^2], StringComparison.Ordinal))
        {
            return lower[..^1] + "ies";
        }

        return lower.EndsWith('s') || lower.EndsWith('x') || lower.EndsWith("ch", StringComparison.Ordinal) || lower.EndsWith("sh", StringComparison.Ordinal)
            ? lower + "es"
            : lower + "s";
    }

    /// <summary>Registers <typeparamref name="T"/> under an explicit key and plural.</summary>
    /// <exception cref="ArgumentException">The type or key is already registered.</exception>
    public KindInfo Register<T>(KindKey key, string plural, KindScope scope, bool? hasStatusSubresource = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentException.ThrowIfNullOrEmpty(key.ApiVersion);
        ArgumentException.ThrowIfNullOrEmpty(key.Kind);
        ArgumentException.ThrowIfNullOrEmpty(plural);
        var type = typeof(T);
        if (type == typeof(GenericObject))
        {
            throw new ArgumentException($"Register generic kinds with {nameof(RegisterGeneric)}.", nameof(key));
        }

        var parts = ObjectParts.ForType(type);
        var hasStatus = hasStatusSubresource ?? parts.HasStatus;
        if (hasStatus && !parts.HasStatus)
        {
            throw new ArgumentException($"{type} has no Status property, so it cannot have a status subresource.", nameof(hasStatusSubresource));
        }

        return Add(new KindInfo(key, scope, plural, hasStatus, type, parts), byType: true);
    }

    /// <summary>
    /// Registers a kind without a C# type of its own: its objects are <see cref="GenericObject"/>s, found by the
    /// apiVersion and kind they carry. This is how kinds from CustomResourceDefinitions applied at run time are served.
    /// </summary>
    /// <exception cref="ArgumentException">The key is already registered.</exception>
    public KindInfo RegisterGeneric(KindKey key, string plural, KindScope scope, bool hasStatusSubresource)
    {
        ArgumentException.ThrowIfNullOrEmpty(key.ApiVersion);
        ArgumentException.ThrowIfNullOrEmpty(key.Kind);
        ArgumentException.ThrowIfNullOrEmpty(plural);
        return Add(new KindInfo(key, scope, plural, hasStatusSubresource, typeof(GenericObject), ObjectParts.Generic), byType: false);
    }

    private KindInfo Add(KindInfo info, bool byType)
    {
        lock (_gate)
        {
            if ((byType && _byType.ContainsKey(info.ObjectType)) || _byKey.ContainsKey(info.Key))
            {
                throw new ArgumentException($"Kind {info.Key} ({info.ObjectType}) is already registered.", nameof(info));
            }

            _byKey[info.Key] = info;
            if (byType)
            {
                _byType[info.ObjectType] = info;
            }

            Volatile.Write(ref _all, [.. _all, info]);
            return info;
        }
    }

    public bool TryGet(KindKey key, out KindInfo info) => _byKey.TryGetValue(key, out info!);

    public bool TryGet(Type type, out KindInfo info) => _byType.TryGetValue(type, out info!);

    /// <exception cref="ArgumentException">The kind is not registered (a programming error).</exception>
    public KindInfo Get(KindKey key) =>
        TryGet(key, out var info) ? info : throw new ArgumentException($"Kind {key} is not registered.", nameof(key));

    /// <exception cref="ArgumentException">The type is not registered (a programming error).</exception>
    public KindInfo Get(Type type) =>
        TryGet(type, out var info) ? info : throw new ArgumentException($"Type {type} is not a registered kind.", nameof(type));

    public KindInfo Get<T>() => Get(typeof(T));

    /// <summary>
    /// The kind of <paramref name="obj"/>: by its C# type, or for a <see cref="GenericObject"/> by the apiVersion
    /// and kind it carries.
    /// </summary>
    /// <exception cref="ArgumentException">The kind is not registered.</exception>
    public KindInfo KindOf(IKubernetesObject<V1ObjectMeta> obj) =>
        obj is GenericObject generic ? Get(new KindKey(generic.ApiVersion, generic.Kind)) : Get(obj.GetType());
}
