using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// What a real cluster's kubelets do to its nodes between two cycles: a share of the nodes (chosen at random with a
/// seed) post a status update. Most updates only move the conditions' heartbeat times, which the scheduler does not
/// read; one in <see cref="RealChangeEvery"/> also changes something it does read, in turn: the allocatable memory
/// (a few GiB taken by the system and given back), a label, or a PreferNoSchedule taint put on and taken off.
/// </summary>
public sealed class NodeChurn
{
    /// <summary>One update in this many is a real change; the rest are heartbeats.</summary>
    public const int RealChangeEvery = 10;

    /// <summary>The label and taint a real change toggles.</summary>
    public const string ChurnKey = "bench.kai.scheduler/node-churn";

    private readonly ICluster _cluster;
    private readonly Random _random;
    private readonly List<string> _names;
    private int _updates;

    private NodeChurn(ICluster cluster, int seed, List<string> names)
    {
        _cluster = cluster;
        _random = new Random(seed);
        _names = names;
    }

    /// <summary>A node churn for the nodes <paramref name="cluster"/> holds now.</summary>
    public static async ValueTask<NodeChurn> CreateAsync(ICluster cluster, int seed, CancellationToken cancellationToken = default)
    {
        var nodes = await cluster.ListAsync<V1Node>(cancellationToken).ConfigureAwait(false);
        return new NodeChurn(cluster, seed, [.. nodes.Items.Select(n => n.Metadata.Name).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Posts a status update for <paramref name="nodes"/> distinct nodes at <paramref name="now"/>.</summary>
    /// <returns>How many of the updates were heartbeats only, and how many real changes.</returns>
    public async ValueTask<(int Heartbeats, int RealChanges)> RunOnceAsync(int nodes, DateTime now, CancellationToken cancellationToken = default)
    {
        var heartbeats = 0;
        var real = 0;
        foreach (var name in Pick(Math.Min(nodes, _names.Count)))
        {
            if (await _cluster.GetAsync<V1Node>(null, name, cancellationToken).ConfigureAwait(false) is not { } node)
            {
                continue;
            }

            var change = ++_updates % RealChangeEvery == 0 ? (_updates / RealChangeEvery) % 3 : -1;
            await _cluster.ReplaceStatusAsync(WithStatus(node, now, change == 0), cancellationToken).ConfigureAwait(false);
            if (change > 0)
            {
                var current = await _cluster.GetAsync<V1Node>(null, name, cancellationToken).ConfigureAwait(false);
                await _cluster.ReplaceAsync(change == 1 ? WithLabelToggled(current!) : WithTaintToggled(current!), cancellationToken).ConfigureAwait(false);
            }

            real += change >= 0 ? 1 : 0;
            heartbeats += change < 0 ? 1 : 0;
        }

        return (heartbeats, real);
    }

    /// <summary><paramref name="count"/> distinct node names, seeded (a partial shuffle).</summary>
    private IEnumerable<string> Pick(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var j = i + _random.Next(_names.Count - i);
            (_names[i], _names[j]) = (_names[j], _names[i]);
            yield return _names[i];
        }
    }

    /// <summary>The node with every condition's heartbeat at <paramref name="now"/> and, for a real change, its allocatable memory toggled.</summary>
    private static V1Node WithStatus(V1Node node, DateTime now, bool toggleMemory)
    {
        var status = node.Status ?? new V1NodeStatus();
        var conditions = (status.Conditions ?? []).Select(c => c with { LastHeartbeatTime = now }).ToList();
        var allocatable = status.Allocatable;
        if (toggleMemory && allocatable is not null)
        {
            var memory = allocatable.TryGetValue("memory", out var m) && m.ToString() == "1Ti" ? "1016Gi" : "1Ti";
            allocatable = new Dictionary<string, ResourceQuantity>(allocatable) { ["memory"] = new(memory) };
        }

        return node with { Status = status with { Allocatable = allocatable, Conditions = conditions } };
    }

    private static V1Node WithLabelToggled(V1Node node)
    {
        var labels = new Dictionary<string, string>(node.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (!labels.Remove(ChurnKey))
        {
            labels[ChurnKey] = "true";
        }

        return node with { Metadata = node.Metadata with { Labels = labels } };
    }

    private static V1Node WithTaintToggled(V1Node node)
    {
        var taints = (node.Spec?.Taints ?? []).ToList();
        if (taints.RemoveAll(t => t.Key == ChurnKey) == 0)
        {
            taints.Add(new V1Taint { Key = ChurnKey, Effect = "PreferNoSchedule" });
        }

        return node with { Spec = (node.Spec ?? new V1NodeSpec()) with { Taints = taints } };
    }
}
