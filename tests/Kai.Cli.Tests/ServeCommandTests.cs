using System.Text;
using k8s;
using Kai.Cli.Commands;

namespace Kai.Cli.Tests;

public sealed class ServeCommandTests
{
    /// <summary>How long a test waits for the server before it fails instead of hanging (the live-server tests' bound, sized for a loaded 2-core machine).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Serve_WithManifests_ServesThemScheduledAndStopsCleanlyWhenCancelled()
    {
        var directory = Directory.CreateTempSubdirectory("kai-serve-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        var output = new LineWriter();
        var error = new LineWriter();
        using var stop = new CancellationTokenSource();
        var quickstart = Repository.Path_("tests", "kai-examples", "docs", "quickstart");

        var run = KaiCommandLine.RunAsync(
            ["serve", "--port", "0", "--kubeconfig-out", kubeconfig, "--schedule-period", "200ms", "--log-level", "information", Path.Combine(quickstart, "default-queues.yaml"), Path.Combine(quickstart, "pods")],
            output,
            error,
            stop.Token);
        var ready = await output.WaitForLineAsync(l => l.StartsWith(ServeCommand.ReadyPrefix, StringComparison.Ordinal));
        var address = ready[ServeCommand.ReadyPrefix.Length..];
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        await error.WaitForLineAsync(l => l.Contains("2 bound", StringComparison.Ordinal));
        var pods = await client.CoreV1.ListNamespacedPodAsync("default");
        var nodes = await client.CoreV1.ListNodeAsync();
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(Patience);

        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", address);
        Assert.Equal(["cpu-only-pod", "gpu-pod"], pods.Items.Select(p => p.Metadata.Name));
        Assert.All(pods.Items, p => Assert.StartsWith("node-", p.Spec.NodeName, StringComparison.Ordinal));
        Assert.Equal(4, nodes.Items.Count);
        Assert.Equal(0, exitCode);
        Assert.Contains("kai serve: stopping.", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Text.Split('\n'), l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Serve_WithNoScheduler_LeavesPodsPending()
    {
        var output = new LineWriter();
        using var stop = new CancellationTokenSource();
        var pods = Repository.Path_("tests", "kai-examples", "docs", "quickstart", "pods");

        var run = KaiCommandLine.RunAsync(["serve", "--port", "0", "--no-scheduler", pods], output, new LineWriter(), stop.Token);
        var ready = await output.WaitForLineAsync(l => l.StartsWith(ServeCommand.ReadyPrefix, StringComparison.Ordinal));
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = ready[ServeCommand.ReadyPrefix.Length..] });
        var listed = await client.CoreV1.ListNamespacedPodAsync("default");
        await stop.CancelAsync();

        Assert.All(listed.Items, p => Assert.Null(p.Spec.NodeName));
        Assert.Contains("no scheduler (--no-scheduler)", output.Text, StringComparison.Ordinal);
        Assert.Equal(0, await run.WaitAsync(Patience));
    }

    [Theory]
    [InlineData("--port", "70000")]
    [InlineData("--schedule-period", "0s")]
    public async Task Serve_WithABadOption_ExitsWithUsageError(string option, string value)
    {
        var error = new LineWriter();

        var exitCode = await KaiCommandLine.RunAsync(["serve", option, value], new LineWriter(), error);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(option, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WhenTheGivenPathsHoldNothingUsable_RefusesToStart()
    {
        var error = new LineWriter();

        var exitCode = await KaiCommandLine.RunAsync(["serve", "--port", "0", Repository.Path_("tests", "no-such-file.yaml")], new LineWriter(), error);

        Assert.Equal(ExitCodes.CouldNotRun, exitCode);
        Assert.Contains("no such file or directory", error.Text, StringComparison.Ordinal);
        Assert.Contains("nothing was served", error.Text, StringComparison.Ordinal);
    }

    /// <summary>A writer the test can wait on for a line matching a condition (the command writes from another task).</summary>
    private sealed class LineWriter : StringWriter
    {
        private readonly Lock _gate = new();
        private readonly StringBuilder _pending = new();
        private readonly List<string> _lines = [];
        private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return string.Join("\n", _lines) + _pending;
                }
            }
        }

        public override void Write(char value)
        {
            List<TaskCompletionSource<string>> completed = [];
            string? line = null;
            lock (_gate)
            {
                if (value == '\n')
                {
                    line = _pending.ToString().TrimEnd('\r');
                    _pending.Clear();
                    _lines.Add(line);
                    foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                    {
                        _waiters.Remove(waiter);
                        completed.Add(waiter.Done);
                    }
                }
                else
                {
                    _pending.Append(value);
                }
            }

            completed.ForEach(c => c.TrySetResult(line!));
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? string.Empty)
            {
                Write(c);
            }
        }

        public override void WriteLine(string? value) => Write((value ?? string.Empty) + "\n");

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public Task<string> WaitForLineAsync(Func<string, bool> match)
        {
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                var existing = _lines.FirstOrDefault(match);
                if (existing is not null)
                {
                    return Task.FromResult(existing);
                }

                _waiters.Add((match, done));
            }

            return done.Task.WaitAsync(Patience);
        }
    }

}
