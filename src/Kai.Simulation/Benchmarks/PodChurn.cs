using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Conventions;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// What happens to a busy cluster between two cycles: a share of the pods finish (whole pod groups with a running pod,
/// chosen at random with a seed, are deleted with all their pods) and as many new pods arrive in new pending gangs.
/// </summary>
public sealed class PodChurn
{
    private readonly ICluster _cluster;
    private readonly Random _random;
    private readonly MixedCluster _arrivals;

    private PodChurn(ICluster cluster, int seed, MixedCluster arrivals)
    {
        _cluster = cluster;
        _random = new Random(seed);
        _arrivals = arrivals;
    }

    /// <summary>A churn for <paramref name="cluster"/>; new gangs go to its leaf queues.</summary>
    public static async ValueTask<PodChurn> CreateAsync(ICluster cluster, int seed, CancellationToken cancellationToken = default)
    {
        var queues = await cluster.ListAsync<Queue>(cancellationToken).ConfigureAwait(false);
        var leaves = queues.Items
            .Where(q => q.Spec?.ParentQueue is { Length: > 0 } && !queues.Items.Any(c => c.Spec?.ParentQueue == q.Metadata.Name))
            .Select(q => q.Metadata.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        return new PodChurn(cluster, seed, MixedCluster.ForArrivals(seed + 1, leaves));
    }

    /// <summary>Finishes about <paramref name="pods"/> pods (whole groups that run) and creates as many pending ones.</summary>
    /// <returns>The pods finished and created.</returns>
    public async ValueTask<(int Finished, int Created)> RunOnceAsync(int pods, DateTime now, CancellationToken cancellationToken = default)
    {
        if (pods <= 0)
        {
            return (0, 0);
        }

        // A group that finishes takes all its pods with it, pending ones too (an elastic job's pods beyond what it
        // runs): deleting only its running pods and its PodGroup would leave pods naming a group that no longer exists.
        var all = await _cluster.ListAsync<V1Pod>(cancellationToken).ConfigureAwait(false);
        var running = all.Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .GroupBy(p => (p.Metadata.NamespaceProperty, Group: GroupOf(p)))
            .Where(g => g.Any(p => p.Status?.Phase == "Running"))
            .OrderBy(g => g.Key.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g => (g.Key, Pods: g.ToList()))
            .ToList();

        var finished = 0;
        while (finished < pods && running.Count > 0)
        {
            var index = _random.Next(running.Count);
            var group = running[index];
            running[index] = running[^1];
            running.RemoveAt(running.Count - 1);
            foreach (var pod in group.Pods)
            {
                await _cluster.DeleteAsync<V1Pod>(pod.Metadata.NamespaceProperty, pod.Metadata.Name, gracePeriodSeconds: 0, cancellationToken).ConfigureAwait(false);
                finished++;
            }

            try
            {
                await _cluster.DeleteAsync<PodGroup>(group.Key.NamespaceProperty, group.Key.Group, gracePeriodSeconds: 0, cancellationToken).ConfigureAwait(false);
            }
            catch (ClusterException e) when (e.Reason == ClusterErrorReason.NotFound)
            {
                // A pod without a pod group object.
            }
        }

        var created = 0;
        foreach (var obj in _arrivals.NewGangs(finished, now))
        {
            switch (obj)
            {
                case V1Pod pod:
                    await _cluster.CreateAsync(pod, cancellationToken).ConfigureAwait(false);
                    created++;
                    break;
                case PodGroup group:
                    await _cluster.CreateAsync(group, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }

        return (finished, created);
    }

    private static string GroupOf(V1Pod pod) =>
        pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(KaiConventions.PodGroupAnnotation, out var group) ? group : pod.Metadata.Name;
}
