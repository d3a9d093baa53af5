using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// Identity of a Kubernetes kind: <c>apiVersion</c> ("v1", "scheduling.run.ai/v2") plus <c>kind</c> ("Pod").
/// Scope, plural and status subresource live on the registration (<see cref="KindInfo"/>), not here,
/// because one kind has exactly one registration and the key must stay cheap to compare.
/// </summary>
public readonly record struct KindKey(string ApiVersion, string Kind)
{
    /// <summary>The key declared by <typeparamref name="T"/>'s <see cref="KubernetesEntityAttribute"/>.</summary>
    /// <exception cref="ArgumentException">The type carries no <see cref="KubernetesEntityAttribute"/>.</exception>
    public static KindKey Of<T>() => KeyCache<T>.Key;

    /// <summary>The key declared by <paramref name="type"/>'s <see cref="KubernetesEntityAttribute"/>, if any.</summary>
    public static bool TryFromEntity(Type type, out KindKey key) =>
        TryFromAttribute(type.GetCustomAttribute<KubernetesEntityAttribute>(inherit: false), out key);

    /// <summary>The key <paramref name="entity"/> declares, if it names both apiVersion and kind.</summary>
    internal static bool TryFromAttribute([NotNullWhen(true)] KubernetesEntityAttribute? entity, out KindKey key)
    {
        if (entity is null || string.IsNullOrEmpty(entity.Kind) || string.IsNullOrEmpty(entity.ApiVersion))
        {
            key = default;
            return false;
        }

        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : entity.Group + "/" + entity.ApiVersion;
        key = new KindKey(apiVersion, entity.Kind);
        return true;
    }

    /// <summary>The API group: empty for the core group ("v1").</summary>
    public string Group
    {
        get
        {
            var slash = ApiVersion.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? string.Empty : ApiVersion[..slash];
        }
    }

    public override string ToString() => ApiVersion + "/" + Kind;

    internal static ArgumentException NoEntity(Type type) =>
        new($"{type} has no [KubernetesEntity] attribute; register it with an explicit KindKey.");

    private static class KeyCache<T>
    {
        public static readonly KindKey Key = TryFromEntity(typeof(T), out var key) ? key : throw NoEntity(typeof(T));
    }
}
