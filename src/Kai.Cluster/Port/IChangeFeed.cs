using System.Threading.Channels;

namespace Kai.Cluster.Port;

/// <summary>
/// One subscriber's private stream of <see cref="ClusterChange"/>s, in resource-version order.
/// Read it asynchronously (<c>Changes.ReadAllAsync(ct)</c>) or drain what is already there without waiting
/// (<c>while (Changes.TryRead(out var c))</c>), which is how the scheduler cache catches up at the start of a
/// cycle. The reader completes with a <see cref="ClusterException"/> of reason
/// <see cref="ClusterErrorReason.Expired"/> when the subscriber fell too far behind; subscribe again from a
/// fresh list then, as after an HTTP 410 on a real watch. Dispose to unsubscribe.
/// </summary>
public interface IChangeFeed : IDisposable
{
    /// <summary>The resource version the feed is positioned at after its initial events were queued.</summary>
    string StartResourceVersion { get; }

    /// <summary>Single reader: one consumer per feed.</summary>
    ChannelReader<ClusterChange> Changes { get; }
}
