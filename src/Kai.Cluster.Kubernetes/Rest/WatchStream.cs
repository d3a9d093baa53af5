using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Kubernetes.Rest;

/// <summary>
/// Reads a watch response — one JSON event per line, <c>{"type":…,"object":…}</c> — straight from its UTF-8 bytes:
/// each line is scanned once for its type and the object's extent, and the object is deserialised once into the
/// kind's type (an <c>ERROR</c> event's into a <see cref="V1Status"/>, handed to <c>onError</c>, after which the
/// stream ends, as the API server closes it; a line that is not an event is handed to <c>onError</c> too). KubernetesClient's watcher decodes every line into a string and
/// deserialises it twice.
/// </summary>
internal static class WatchStream
{
    private static readonly byte[] TypeName = "type"u8.ToArray();
    private static readonly byte[] ObjectName = "object"u8.ToArray();

    public static IAsyncEnumerable<(WatchEventType Type, T Object)> ReadAsync<T>(Stream stream, Action<Exception> onError, CancellationToken cancellationToken)
        where T : class =>
        ReadAsync<T>(stream, onError, known: null, cancellationToken);

    /// <param name="known">
    /// Given an event's object as JSON, the object already decoded at that version (our own write's answer), which is
    /// yielded instead of deserialising the object again; null to deserialise every object.
    /// </param>
    public static async IAsyncEnumerable<(WatchEventType Type, T Object)> ReadAsync<T>(
        Stream stream, Action<Exception> onError, Func<ReadOnlySequence<byte>, T?>? known, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                var events = new List<(WatchEventType, T)>();
                var failed = false;
                while (!failed && TryTakeLine(ref buffer, out var line))
                {
                    failed = TryDecode(line, events, onError, known);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var e in events)
                {
                    yield return e;
                }

                if (failed || read.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is not { } end)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end);
        buffer = buffer.Slice(buffer.GetPosition(1, end));
        return true;
    }

    /// <summary>
    /// Adds the line's event to <paramref name="events"/>; true when the stream ends here: an ERROR event, or a line
    /// that is not an event (both reported to <paramref name="onError"/>; the reflector then backs off or relists).
    /// </summary>
    private static bool TryDecode<T>(ReadOnlySequence<byte> line, List<(WatchEventType, T)> events, Action<Exception> onError, Func<ReadOnlySequence<byte>, T?>? known)
        where T : class
    {
        try
        {
            return Decode(line, events, onError, known);
        }
        catch (JsonException e)
        {
            onError(e);
            return true;
        }
    }

    /// <summary>Adds the line's event to <paramref name="events"/>; true when it was an ERROR (reported, the stream ends).</summary>
    private static bool Decode<T>(ReadOnlySequence<byte> line, List<(WatchEventType, T)> events, Action<Exception> onError, Func<ReadOnlySequence<byte>, T?>? known)
        where T : class
    {
        if (IsBlank(line))
        {
            return false;
        }

        var (type, objectStart) = Split(line);
        if (type == "ERROR")
        {
            var status = objectStart < 0 ? null : Deserialize<V1Status>(line, objectStart);
            onError(new KubernetesException(status ?? new V1Status { Message = "watch error without a status" }));
            return true;
        }

        if (!Enum.TryParse<WatchEventType>(type, ignoreCase: true, out var eventType) || objectStart < 0)
        {
            throw new JsonException($"a watch event of type '{type}' without an object");
        }

        // Only an added or modified object is the version a write answered with: a DELETED event under a selector carries
        // the object's previous content at the new version (it left the selection), so it is always decoded.
        var obj = (eventType is WatchEventType.Added or WatchEventType.Modified ? known?.Invoke(line.Slice(objectStart)) : null)
            ?? Deserialize<T>(line, objectStart)
            ?? throw new JsonException($"a {type} watch event with a null object");
        events.Add((eventType, obj));
        return false;
    }

    private static TValue? Deserialize<TValue>(ReadOnlySequence<byte> line, long start)
    {
        var reader = new Utf8JsonReader(line.Slice(start));
        return JsonSerializer.Deserialize<TValue>(ref reader, RestTransport.Options);
    }

    /// <summary>The event's type and where its object starts in the line (-1 when it has none); other fields are skipped.</summary>
    private static (string? Type, long ObjectStart) Split(ReadOnlySequence<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        string? type = null;
        var objectStart = -1L;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a watch event that is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals(TypeName);
            var isObject = !isType && reader.ValueTextEquals(ObjectName);
            reader.Read();
            if (isType)
            {
                type = reader.GetString();
            }
            else if (isObject)
            {
                objectStart = reader.TokenStartIndex;
            }

            reader.Skip();
        }

        return (type, objectStart);
    }

    private static bool IsBlank(ReadOnlySequence<byte> line)
    {
        foreach (var segment in line)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
