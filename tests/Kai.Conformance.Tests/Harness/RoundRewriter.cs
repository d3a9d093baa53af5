using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// Between two rounds of an integration case, writes the session's outcome back into the manifests as KAI's
/// integration test loop (integration_tests_utils.runSchedulerOneRound) writes it into its state — exactly as
/// run_kai_cases.py does: Releasing → Pending and unbound (unless its job is being deleted: then it stays
/// releasing on its node), Pipelined → Pending and unbound, Binding → Running on its node with its GPU groups,
/// everything else as reported. BindRequests do not survive a round; DRA claims of pods that started are
/// allocated; pod groups with allocated pods get a last-start time one minute ago.
/// </summary>
internal static class RoundRewriter
{
    public const int ReleasingGraceSeconds = 30;
    private const string ReceivedTypeAnnotation = "received-resource-type";
    private const string LastStartAnnotation = "kai.scheduler/last-start-timestamp";

    private static readonly HashSet<string> KnownStatuses = new(StringComparer.Ordinal)
    {
        "Pending", "Binding", "Running", "Pipelined", "Releasing", "Succeeded", "Failed", "Gated", "Allocated", "Bound", "Unknown",
    };

    private static readonly HashSet<string> Allocated = new(StringComparer.Ordinal) { "Allocated", "Binding", "Bound", "Running" };

    /// <summary>Rewrites <paramref name="documents"/> in place (BindRequests are removed) after one round.</summary>
    /// <exception cref="CaseFailure">A pod is missing from the output, has an unknown status, or is placed without a node.</exception>
    public static void Rewrite(List<YamlMappingNode> documents, IReadOnlyDictionary<string, PodObservation> view, CaseExpectation expectation, JsonElement output)
    {
        var newlyRunning = new List<(YamlMappingNode Pod, string Node)>();
        foreach (var pod in documents.Where(PodViews.IsKaiPod))
        {
            var key = pod.KeyOf(expectation.DefaultNamespace);
            if (!view.TryGetValue(key, out var observed))
            {
                throw new CaseFailure($"{CaseComparison.Short(key)} missing from output");
            }

            var (status, node, groups) = (observed.Status, observed.Node, observed.GpuGroups);
            if (status is null || !KnownStatuses.Contains(status))
            {
                throw new CaseFailure($"{CaseComparison.Short(key)} has unknown status {(status is null ? "None" : $"'{status}'")}");
            }

            var job = pod.Mapping("metadata")?.Mapping("annotations")?.Text(PodViews.PodGroupAnnotation);
            switch (status)
            {
                case "Releasing" when job is not null && expectation.DeletedJobs.Contains(job):
                    SetBound(pod, node ?? throw new CaseFailure($"{CaseComparison.Short(key)} Releasing without node"), groups, releasing: true, expectation.Now);
                    break;
                case "Releasing":
                case "Pipelined":
                    SetPending(pod, groups: null);
                    break;
                case "Binding" or "Allocated" or "Bound" or "Running":
                    if (node is null)
                    {
                        throw new CaseFailure($"{CaseComparison.Short(key)} {status} without node");
                    }

                    if (status != "Running" || string.IsNullOrEmpty(pod.Mapping("spec")?.Text("nodeName")))
                    {
                        newlyRunning.Add((pod, node));
                    }

                    SetBound(pod, node, groups, releasing: false, expectation.Now);
                    break;
                case "Pending":
                    SetPending(pod, groups);
                    break;
                case "Failed" or "Succeeded" or "Unknown":
                    pod.EnsureMapping("status").SetString("phase", status);
                    if (node is not null)
                    {
                        pod.EnsureMapping("spec").SetString("nodeName", node);
                    }

                    break;
                default:
                    // Gated: unchanged.
                    break;
            }
        }

        documents.RemoveAll(d => d.Kind() == "BindRequest");
        ClaimWriteback.Apply(documents, newlyRunning, output, expectation.DefaultNamespace);
        UpdateLastStart(documents, expectation.DefaultNamespace, expectation.Now);
    }

    /// <summary><c>now</c> (RFC 3339, whole seconds, UTC) moved by <paramref name="seconds"/>.</summary>
    public static string TimePlus(string now, int seconds) =>
        DateTime.ParseExact(now, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            .AddSeconds(seconds)
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void SetBound(YamlMappingNode pod, string node, IReadOnlyList<string> groups, bool releasing, string now)
    {
        var metadata = pod.Metadata();
        pod.EnsureMapping("spec").SetString("nodeName", node);
        pod.EnsureMapping("status").SetString("phase", "Running");
        SetGroupLabels(pod, groups);
        metadata.EnsureMapping("annotations").SetString(ReceivedTypeAnnotation, ReceivedType(pod));
        if (releasing)
        {
            if (!metadata.IsSet("deletionTimestamp"))
            {
                metadata.SetString("deletionTimestamp", TimePlus(now, ReleasingGraceSeconds));
            }

            if (!metadata.IsSet("deletionGracePeriodSeconds"))
            {
                metadata.SetInteger("deletionGracePeriodSeconds", ReleasingGraceSeconds);
            }
        }
        else
        {
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
        }
    }

    /// <summary>Unbound and Pending. GPU-group labels stay (KAI's loop does not reset them) unless new ones are given.</summary>
    private static void SetPending(YamlMappingNode pod, IReadOnlyList<string>? groups)
    {
        var metadata = pod.Metadata();
        pod.EnsureMapping("spec").Remove("nodeName");
        pod.EnsureMapping("status").SetString("phase", "Pending");
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        metadata.Mapping("annotations")?.Remove(ReceivedTypeAnnotation);
        if (groups is { Count: > 0 })
        {
            SetGroupLabels(pod, groups);
        }
    }

    private static void SetGroupLabels(YamlMappingNode pod, IReadOnlyList<string> groups)
    {
        var labels = pod.Metadata().EnsureMapping("labels");
        var stale = labels.Children.Keys.OfType<YamlScalarNode>()
            .Where(k => k.Value == PodViews.GpuGroupLabel || k.Value!.StartsWith(PodViews.MultiGpuGroupPrefix, StringComparison.Ordinal))
            .ToList();
        foreach (var key in stale)
        {
            labels.Children.Remove(key);
        }

        if (groups.Count == 1)
        {
            labels.SetString(PodViews.GpuGroupLabel, groups[0]);
        }
        else
        {
            foreach (var group in groups)
            {
                labels.SetString(PodViews.MultiGpuGroupPrefix + group, group);
            }
        }
    }

    /// <summary>The kind of GPU a pod received: a fraction, a MIG instance or whole devices.</summary>
    private static string ReceivedType(YamlMappingNode pod)
    {
        var annotations = pod.Mapping("metadata")?.Mapping("annotations");
        if (annotations is not null && (annotations.IsSet("gpu-fraction") || annotations.IsSet("gpu-memory")))
        {
            return "Fraction";
        }

        var containers = pod.Mapping("spec")?.Sequence("containers")?.Children.OfType<YamlMappingNode>() ?? [];
        foreach (var container in containers)
        {
            var requests = container.Mapping("resources")?.Mapping("requests");
            if (requests is not null && requests.Children.Keys.OfType<YamlScalarNode>().Any(k => k.Value!.StartsWith("nvidia.com/mig-", StringComparison.Ordinal)))
            {
                return "MigInstance";
            }
        }

        return "Regular";
    }

    /// <summary>KAI's BuildJobInfo in the test loop: LastStartTimestamp = now − 1 minute for every job with allocated pods.</summary>
    private static void UpdateLastStart(List<YamlMappingNode> documents, string defaultNamespace, string now)
    {
        var view = PodViews.FromManifests(documents, defaultNamespace);
        var allocatedJobs = new HashSet<(string, string?)>();
        foreach (var pod in documents.Where(PodViews.IsKaiPod))
        {
            if (Allocated.Contains(view[pod.KeyOf(defaultNamespace)].Status!))
            {
                var metadata = pod.Mapping("metadata");
                var ns = metadata?.Text("namespace");
                allocatedJobs.Add((string.IsNullOrEmpty(ns) ? defaultNamespace : ns, metadata?.Mapping("annotations")?.Text(PodViews.PodGroupAnnotation)));
            }
        }

        foreach (var group in documents.Where(d => d.Kind() == "PodGroup"))
        {
            var metadata = group.Metadata();
            var ns = metadata.Text("namespace");
            if (allocatedJobs.Contains((string.IsNullOrEmpty(ns) ? defaultNamespace : ns, metadata.Text("name"))))
            {
                metadata.EnsureMapping("annotations").SetString(LastStartAnnotation, TimePlus(now, -60));
            }
            else if (metadata.Mapping("annotations") is { Children.Count: > 0 } annotations)
            {
                annotations.Remove(LastStartAnnotation);
                if (annotations.Children.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }
    }
}
