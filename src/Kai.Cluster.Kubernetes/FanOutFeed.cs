using System.Threading.Channels;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes;

/// <summary>
/// One subscriber's queue of changes, fed by the reflectors under the cluster's lock (so offers are serialised and
/// in the order the cache applied them). Bounded feeds fail with <see cref="ClusterErrorReason.Expired"/> on overflow,
/// as the embedded cluster's do.
/// </summary>
internal sealed class FanOutFeed : IChangeFeed
{
    private readonly Channel<ClusterChange> _channel;
    private readonly HashSet<KindKey>? _kinds;
    private readonly Action<FanOutFeed> _unsubscribe;
    private readonly int? _capacity;
    private int _disposed;

    public FanOutFeed(HashSet<KindKey>? kinds, int? capacity, Action<FanOutFeed> unsubscribe)
    {
        _kinds = kinds;
        _capacity = capacity;
        _unsubscribe = unsubscribe;
        _channel = capacity is { } bound
            ? Channel.CreateBounded<ClusterChange>(new BoundedChannelOptions(bound) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<ClusterChange>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    }

    public string StartResourceVersion { get; set; } = "0";

    public ChannelReader<ClusterChange> Changes => _channel.Reader;

    public bool IsClosed { get; private set; }

    public bool Accepts(KindKey kind) => _kinds is null || _kinds.Contains(kind);

    /// <summary>Queues a change. Call under the cluster lock.</summary>
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

    /// <summary>Completes the feed. Call under the cluster lock.</summary>
    public void Close(Exception? error = null)
    {
        IsClosed = true;
        _channel.Writer.TryComplete(error);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(this);
        }
    }
}
