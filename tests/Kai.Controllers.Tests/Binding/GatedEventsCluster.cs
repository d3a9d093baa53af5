using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Tests.Binding;

/// <summary>
/// A cluster whose event writes wait at a gate until <see cref="Open"/> (every other call goes straight through), and
/// refuse the events whose reason is in <see cref="RefusedReasons"/>: the binder's binds and its events can be told apart.
/// </summary>
internal sealed class GatedEventsCluster(ICluster inner, bool open = false) : ICluster
{
    private readonly TaskCompletionSource _gate = Opened(open);
    private readonly List<string> _written = [];

    public KindRegistry Kinds => inner.Kinds;

    public HashSet<string> RefusedReasons { get; } = new(StringComparer.Ordinal);

    /// <summary>The events that passed the gate and were written, in order, as "reason pod".</summary>
    public IReadOnlyList<string> Written
    {
        get
        {
            lock (_written)
            {
                return [.. _written];
            }
        }
    }

    public void Open() => _gate.TrySetResult();

    public async ValueTask<Corev1Event> RecordEventAsync(EventRecord record, CancellationToken cancellationToken = default)
    {
        await _gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (RefusedReasons.Contains(record.Reason))
        {
            throw new ClusterException(ClusterErrorReason.Invalid, $"{record.Reason} refused");
        }

        var stored = await inner.RecordEventAsync(record, cancellationToken).ConfigureAwait(false);
        lock (_written)
        {
            _written.Add($"{record.Reason} {record.InvolvedObject.Name}");
        }

        return stored;
    }

    public ValueTask<ClusterList<T>> ListAsync<T>(CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.ListAsync<T>(cancellationToken);

    public ValueTask<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.GetAsync<T>(ns, name, cancellationToken);

    public ValueTask<T> CreateAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.CreateAsync(obj, cancellationToken);

    public ValueTask<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.ReplaceAsync(obj, cancellationToken);

    public ValueTask<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.ReplaceStatusAsync(obj, cancellationToken);

    public ValueTask<DeleteResult<T>> DeleteAsync<T>(string? ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta> => inner.DeleteAsync<T>(ns, name, gracePeriodSeconds, cancellationToken);

    public ValueTask<DeleteResult<V1Pod>> EvictPodAsync(string ns, string name, long? gracePeriodSeconds = null, CancellationToken cancellationToken = default) =>
        inner.EvictPodAsync(ns, name, gracePeriodSeconds, cancellationToken);

    public ValueTask<V1Pod> BindPodAsync(string ns, string name, string nodeName, IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default) =>
        inner.BindPodAsync(ns, name, nodeName, annotations, cancellationToken);

    public ValueTask<IChangeFeed> SubscribeAsync(ChangeFeedOptions options, CancellationToken cancellationToken = default) =>
        inner.SubscribeAsync(options, cancellationToken);

    private static TaskCompletionSource Opened(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }
}
