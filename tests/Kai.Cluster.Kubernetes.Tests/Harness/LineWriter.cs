using System.Text;

namespace Kai.Cluster.Kubernetes.Tests.Harness;

/// <summary>A thread-safe writer that collects lines and lets a test wait for a line it expects.</summary>
internal sealed class LineWriter : StringWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _current = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiting = [];

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines) + _current;
            }
        }
    }

    public override void Write(char value)
    {
        var found = new List<(TaskCompletionSource<string> Found, string Line)>();
        lock (_gate)
        {
            if (value != '\n')
            {
                _current.Append(value);
                return;
            }

            var line = _current.ToString().TrimEnd('\r');
            _current.Clear();
            _lines.Add(line);
            foreach (var waiter in _waiting.Where(w => w.Match(line)).ToList())
            {
                _waiting.Remove(waiter);
                found.Add((waiter.Found, line));
            }
        }

        foreach (var (waiter, line) in found)
        {
            waiter.TrySetResult(line);
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    /// <summary>The first line (already written or still to come) that matches.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_gate)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return Task.FromResult(line);
            }

            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((match, found));
            return found.Task.WaitAsync(LiveApi.Patience);
        }
    }
}
