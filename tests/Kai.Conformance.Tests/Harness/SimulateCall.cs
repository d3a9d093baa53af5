using System.Text.Json;
using Kai.Cli;

namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// One <c>kai simulate &lt;scenario&gt; --cycles 1 --actions ... --output json --now ... [--config ...]</c>, run
/// in-process through the CLI's own command line (<see cref="KaiCommandLine.RunAsync"/>) — the path a user's
/// command takes, with its output captured instead of printed.
/// </summary>
internal static class SimulateCall
{
    /// <summary>The Python runner's per-call timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static string[] Arguments(string scenario, IEnumerable<string> actions, string? config, string now) =>
    [
        "simulate", scenario, "--cycles", "1", "--actions", string.Join(",", actions), "--output", "json", "--now", now,
        .. config is null ? Array.Empty<string>() : ["--config", config],
    ];

    /// <summary>Runs the command and returns its JSON report; a non-zero exit is accepted when the output is still a report.</summary>
    /// <exception cref="CaseFailure">The command threw, timed out, or printed no JSON object with <c>pods[]</c>.</exception>
    public static async Task<JsonDocument> RunAsync(string scenario, IEnumerable<string> actions, string? config, string now)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(Timeout);
        int exitCode;
        try
        {
            exitCode = await KaiCommandLine.RunAsync(Arguments(scenario, actions, config, now), output, error, timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new CaseFailure($"timeout: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception e)
        {
            throw new CaseFailure($"crash: {e.GetType().Name}: {e.Message}");
        }

        var stdout = output.ToString();
        var errorTail = string.Join(" | ", error.ToString().Trim().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3).Select(l => l.TrimEnd('\r')));
        JsonDocument report;
        try
        {
            report = JsonDocument.Parse(stdout);
        }
        catch (JsonException)
        {
            var head = stdout.Trim().Replace("\n", " ", StringComparison.Ordinal);
            head = head[..Math.Min(160, head.Length)];
            var what = exitCode != 0 ? "crash" : "non-JSON output";
            throw new CaseFailure($"{what} (rc={exitCode}): stdout '{head}'" + (errorTail.Length > 0 ? $"; stderr: {errorTail}" : string.Empty));
        }

        if (report.RootElement.ValueKind != JsonValueKind.Object || !report.RootElement.TryGetProperty("pods", out var pods) || pods.ValueKind != JsonValueKind.Array)
        {
            report.Dispose();
            throw new CaseFailure($"output JSON has no pods[] (rc={exitCode})");
        }

        return report;
    }
}
