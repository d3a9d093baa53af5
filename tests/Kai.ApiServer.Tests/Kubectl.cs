using System.Diagnostics;

namespace Kai.ApiServer.Tests;

/// <summary>Runs the machine's kubectl against a server through a kubeconfig; finds kubectl on PATH.</summary>
internal sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public const string MissingMessage =
        "kubectl is not on PATH, so the kubectl end-to-end tests are skipped; install kubectl 1.32 (https://kubernetes.io/docs/tasks/tools/) to run them";

    public static string? Executable { get; } = Find();

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Executable ?? throw new InvalidOperationException(MissingMessage))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["--kubeconfig", kubeconfig, "--cache-dir", cacheDirectory, "--request-timeout", "30s", .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TestServer.Patience * 2);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {TestServer.Patience * 2}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "kubectl.exe" : "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A test that needs kubectl; reported as skipped, with how to get kubectl, where it is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Executable is null)
        {
            Skip = Kubectl.MissingMessage;
        }
    }
}
