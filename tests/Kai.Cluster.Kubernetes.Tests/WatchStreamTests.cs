using System.Text;
using k8s;
using k8s.Models;
using Kai.Cluster.Kubernetes.Rest;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>The backend's watch reader: one event per line, read from UTF-8 bytes however the reads cut them.</summary>
public sealed class WatchStreamTests
{
    private const string Added = """{"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","namespace":"default","resourceVersion":"5"},"spec":{"nodeName":"n-ü"}}}""";
    private const string Bookmark = """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"9"}}}""";

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadAsync_WhenLinesArriveInPieces_YieldsEachEventWhole(int chunk)
    {
        var modifiedObjectFirst = """{"object":{"metadata":{"name":"a","namespace":"default","resourceVersion":"6"}},"type":"MODIFIED"}""";
        var body = Added + "\n\n" + modifiedObjectFirst + "\r\n" + Bookmark + "\n";

        var events = await ReadAllAsync(body, chunk);

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark], events.Select(e => e.Type));
        Assert.Equal("n-ü", events[0].Object.Spec.NodeName);
        Assert.Equal(["5", "6", "9"], events.Select(e => e.Object.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ReadAsync_WhenTheLastLineHasNoNewline_YieldsTheCompleteEventsOnly()
    {
        var events = await ReadAllAsync(Added + "\n" + Added[..40], chunk: 16);

        Assert.Single(events);
    }

    [Fact]
    public async Task ReadAsync_WhenAnErrorEventArrives_ReportsItsStatusAndEnds()
    {
        var error = """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""";
        Exception? reported = null;

        var events = await ReadAllAsync(Added + "\n" + error + "\n" + Added + "\n", chunk: 64, e => reported = e);

        Assert.Single(events);
        var status = Assert.IsType<KubernetesException>(reported).Status;
        Assert.Equal(410, status.Code);
        Assert.Equal(410, ApiErrors.StatusCodeOf(reported!));
    }

    [Fact]
    public async Task ReadAsync_WhenALineIsNotAnEvent_ReportsItAndEnds()
    {
        Exception? reported = null;

        var events = await ReadAllAsync(Added + "\n" + """{"type":"ADDED"}""" + "\n" + Added + "\n", chunk: 64, e => reported = e);

        Assert.Single(events);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(reported);
        Assert.Null(ApiErrors.StatusCodeOf(reported!));
    }

    private static async Task<List<(WatchEventType Type, V1Pod Object)>> ReadAllAsync(string body, int chunk, Action<Exception>? onError = null)
    {
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(body), chunk);
        var events = new List<(WatchEventType, V1Pod)>();
        await foreach (var e in WatchStream.ReadAsync<V1Pod>(stream, onError ?? (e => throw e), CancellationToken.None))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);
    }
}
