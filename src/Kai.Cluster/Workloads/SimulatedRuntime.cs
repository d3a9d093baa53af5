using System.Globalization;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Cluster.Workloads;

/// <summary>
/// How long a simulated pod's containers run and how they exit, from annotations on the pod (usually set in a
/// workload's pod template): <c>kai.scheduler/simulated-runtime</c> (a Go duration such as <c>10m</c>; without it a
/// pod runs until deleted) and <c>kai.scheduler/simulated-exit-code</c> (default 0). The simulated kubelet ends the
/// run when the time is up: exit 0 completes the pod, another code fails it — or, with restartPolicy OnFailure or
/// Always, restarts its containers for another run.
/// </summary>
public static class SimulatedRuntime
{
    public const string RuntimeAnnotation = "kai.scheduler/simulated-runtime";
    public const string ExitCodeAnnotation = "kai.scheduler/simulated-exit-code";

    /// <summary>The run time of <paramref name="metadata"/>'s object, or null (runs until deleted, or unreadable).</summary>
    public static TimeSpan? RuntimeOf(V1ObjectMeta metadata) =>
        metadata.Annotations?.TryGetValue(RuntimeAnnotation, out var text) == true
        && GoDuration.TryParse(text, out var duration, out _) && !duration.IsNegative
            ? duration.ToTimeSpan()
            : null;

    /// <summary>The exit code the pod's containers end with (0 when absent or not a whole number).</summary>
    public static int ExitCodeOf(V1ObjectMeta metadata) =>
        metadata.Annotations?.TryGetValue(ExitCodeAnnotation, out var text) == true
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code)
            ? code
            : 0;

    /// <summary>Describes what is wrong with the annotations of <paramref name="metadata"/>, if anything (for load diagnostics).</summary>
    public static string? Problem(V1ObjectMeta metadata) => Problem(metadata.Annotations);

    /// <summary>Describes what is wrong with the run-time annotations in <paramref name="annotations"/>, if anything.</summary>
    public static string? Problem(IDictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return null;
        }

        if (annotations.TryGetValue(RuntimeAnnotation, out var runtime) && (!GoDuration.TryParse(runtime, out var duration, out var error) || duration.IsNegative))
        {
            return $"annotation {RuntimeAnnotation} is \"{runtime}\": {(duration.IsNegative ? "a run time cannot be negative" : error)}; the pod runs until it is deleted";
        }

        if (annotations.TryGetValue(ExitCodeAnnotation, out var code) && !int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            return $"annotation {ExitCodeAnnotation} is \"{code}\"; it must be a whole number such as \"0\" or \"1\"; the pod exits with 0";
        }

        return null;
    }
}
