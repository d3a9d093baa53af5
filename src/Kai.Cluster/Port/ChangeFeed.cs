using System.Threading.Channels;

namespace Kai.Cluster.Port;

/// <summary>
/// One subscriber's queue of changes, for both backends: the embedded cluster offers its changes, the KubernetesClient
/// backend what its reflectors observed. The cluster offers changes while holding its lock, so writes to the channel
/// are serialised (single writer) and in resource-version order; continuations never run under that lock. Bounded
/// feeds fail with <see cref="ClusterErrorReason.Expired"/> on overflow.
/// </summary>
internal sealed class ChangeFeed : IChangeFeed
{
    private readonly Channel<ClusterChange> _channel;
    private readonly HashSet<KindKey>? _kinds;
    private readonly Action<ChangeFeed> _unsubscribe;
    private readonly int? _capacity;
    private int _disposed;

    public ChangeFeed(HashSet<KindKey>? kinds, int? capacity, Action<ChangeFeed> unsubscribe)
    {
        _kinds = kinds;
        _capacity = capacity;
        _unsubscribe = unsubscribe;
        _channel = capacity is { } bound
            ? Channel.CreateBounded<ClusterChange>(new BoundedChannelOptions(bound)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = true,
                AllowSynchronousContinuations = false,
            })
            : Channel.CreateUnbounded<ClusterChange>(new UnboundedChannelOptions
            {
                SingleReader = true,
                SingleWriter = true,
                AllowSynchronousContinuations = false,
            });
    }

    public string StartResourceVersion { get; set; } = "0";

    public ChannelReader<ClusterChange> Changes => _channel.Reader;

    /// <summary>True once the feed overflowed or was disposed; it receives nothing more.</summary>
    public bool IsClosed { get; private set; }

    public bool Accepts(KindKey kind) => _kinds is null || _kinds.Contains(kind);

    /// <summary>Queues a change; on overflow the feed fails with Expired. Call under the cluster lock.</summary>
    public void Offer(in ClusterChange change)
    {
        if (IsClosed)
        {
            return;
        }

        if (!_channel.Writer.TryWrite(change))
        {
            IsClosed = true;
            _channel.Writer.TryComplete(new ClusterException(
                ClusterErrorReason.Expired,
                $"change feed fell behind: more than {_capacity} changes pending at resource version {change.ResourceVersion}"));
        }
    }

    /// <summary>Marks the feed closed and completes it. Call under the cluster lock.</summary>
    public void Close()
    {
        IsClosed = true;
        _channel.Writer.TryComplete();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
        }
    }
}
