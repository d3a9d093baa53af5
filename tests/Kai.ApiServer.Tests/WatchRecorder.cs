using System.Threading.Channels;
using k8s;

namespace Kai.ApiServer.Tests;

/// <summary>
/// Runs a KubernetesClient watch in the background and hands its events to the test one at a time, with the
/// errors reported to <c>onError</c> and how the stream ended; every wait is bounded by <see cref="TestServer.Patience"/>.
/// </summary>
internal sealed class WatchRecorder<T> : IAsyncDisposable
{
    private readonly Channel<(WatchEventType Type, T Object)> _events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Exception> _errors = [];
    private readonly Task<Exception?> _run;

    private WatchRecorder(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open) =>
        _run = RunAsync(open);

    /// <summary>Exceptions the client passed to onError (an in-stream ERROR event arrives here).</summary>
    public IReadOnlyList<Exception> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public static WatchRecorder<T> Start(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open) => new(open);

    public async Task<(WatchEventType Type, T Object)> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TestServer.Patience);
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next event that is not a bookmark.</summary>
    public async Task<(WatchEventType Type, T Object)> NextChangeAsync()
    {
        while (true)
        {
            var next = await NextAsync();
            if (next.Type != WatchEventType.Bookmark)
            {
                return next;
            }
        }
    }

    /// <summary>Waits for the stream to end; the exception thrown out of the enumeration, if any.</summary>
    public async Task<Exception?> EndedAsync() => await _run.WaitAsync(TestServer.Patience);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TestServer.Patience);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task<Exception?> RunAsync(Func<Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> open)
    {
        await Task.Yield();
        try
        {
            await foreach (var item in open(e => { lock (_errors) { _errors.Add(e); } }, _stop.Token))
            {
                await _events.Writer.WriteAsync(item);
            }

            return null;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
