using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// Runs writes to a cluster with up to N in flight, so that against an API server their round trips overlap. On a
/// backend whose writes complete at once (the embedded cluster) the first worker does every write in order before
/// the next one starts, so the outcome is the same as a plain loop's, deterministic.
/// </summary>
public static class ConcurrentWrites
{
    /// <summary>Writes in flight at once for a batch on a backend that writes one object per request.</summary>
    private const int BatchConcurrency = 16;

    /// <summary>Applies <paramref name="write"/> to every item, at most <paramref name="concurrency"/> at a time; the first failure is rethrown after the writes in flight end.</summary>
    public static async Task ForEachAsync<T>(IReadOnlyList<T> items, int concurrency, Func<T, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        var next = -1;
        async Task WorkAsync()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < items.Count)
            {
                await write(items[index], cancellationToken).ConfigureAwait(false);
            }
        }

        var workers = new Task[Math.Clamp(concurrency, 1, items.Count)];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>Creates every object through <see cref="ICluster.CreateAsync{T}"/>, up to 16 at a time; a refusal is that object's outcome (what <see cref="ICluster.CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/> does on a backend without batches).</summary>
    public static async ValueTask<IReadOnlyList<CreateOutcome<T>>> CreateEachAsync<T>(ICluster cluster, IReadOnlyList<T> objects, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var outcomes = new CreateOutcome<T>[objects.Count];
        var indices = Enumerable.Range(0, objects.Count).ToArray();
        await ForEachAsync(indices, BatchConcurrency, async (i, ct) =>
        {
            try
            {
                outcomes[i] = new CreateOutcome<T>(await cluster.CreateAsync(objects[i], ct).ConfigureAwait(false), null);
            }
            catch (ClusterException e) when (!ct.IsCancellationRequested)
            {
                outcomes[i] = new CreateOutcome<T>(null, e);
            }
        }, cancellationToken).ConfigureAwait(false);
        return outcomes;
    }
}
