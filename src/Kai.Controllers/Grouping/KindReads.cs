using System.Collections.Concurrent;
using System.Reflection;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Grouping;

/// <summary>
/// Reads of any registered kind by its <see cref="KindKey"/> on any backend: through <see cref="IUntypedReads"/>
/// when the backend offers it (the embedded cluster does), else through the typed <see cref="ICluster"/> members
/// for kinds with a C# type. A kind the backend cannot address reads as missing.
/// </summary>
public static class KindReads
{
    private static readonly ConcurrentDictionary<Type, Func<ICluster, string?, string, CancellationToken, ValueTask<IKubernetesObject<V1ObjectMeta>?>>> TypedGets = new();

    private static readonly MethodInfo TypedGetMethod =
        typeof(KindReads).GetMethod(nameof(TypedGetAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>One object, or null when it, or its kind, does not exist.</summary>
    public static ValueTask<IKubernetesObject<V1ObjectMeta>?> GetAsync(this ICluster cluster, KindKey kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        if (cluster is IUntypedReads untyped)
        {
            return untyped.GetAsync(kind, ns, name, cancellationToken);
        }

        if (!cluster.Kinds.TryGet(kind, out var info) || info.IsGeneric)
        {
            return ValueTask.FromResult<IKubernetesObject<V1ObjectMeta>?>(null);
        }

        var get = TypedGets.GetOrAdd(info.ObjectType, static type =>
            TypedGetMethod.MakeGenericMethod(type).CreateDelegate<Func<ICluster, string?, string, CancellationToken, ValueTask<IKubernetesObject<V1ObjectMeta>?>>>());
        return get(cluster, ns, name, cancellationToken);
    }

    /// <summary>All objects of a kind; empty when the backend cannot list it.</summary>
    public static async ValueTask<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(this ICluster cluster, KindKey kind, CancellationToken cancellationToken = default) =>
        cluster is IUntypedReads untyped ? await untyped.ListAsync(kind, cancellationToken).ConfigureAwait(false) : [];

    private static async ValueTask<IKubernetesObject<V1ObjectMeta>?> TypedGetAsync<T>(ICluster cluster, string? ns, string name, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        await cluster.GetAsync<T>(ns, name, cancellationToken).ConfigureAwait(false);
}
