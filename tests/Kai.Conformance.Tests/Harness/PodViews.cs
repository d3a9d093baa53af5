using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// The two ways the runner reads pods: from <c>kai simulate -o json</c> (<see cref="FromOutput"/>) and from the
/// manifests of the next round, as KAI's pod_info reads a pod's status from its API object (<see cref="FromManifests"/>).
/// </summary>
internal static class PodViews
{
    public const string SchedulerName = "kai-scheduler";
    public const string GpuGroupLabel = "runai-gpu-group";
    public const string MultiGpuGroupPrefix = "runai-gpu-group/";
    public const string PodGroupAnnotation = "pod-group-name";

    /// <summary>Pods of the JSON report by <c>namespace/name</c>; entries without a name are ignored.</summary>
    public static Dictionary<string, PodObservation> FromOutput(JsonElement output)
    {
        var view = new Dictionary<string, PodObservation>(StringComparer.Ordinal);
        foreach (var pod in output.GetProperty("pods").EnumerateArray())
        {
            if (pod.ValueKind != JsonValueKind.Object || Truthy(pod, "name") is not { } name)
            {
                continue;
            }

            var ns = Truthy(pod, "namespace") ?? "default";
            var groups = pod.TryGetProperty("gpuGroups", out var g) && g.ValueKind == JsonValueKind.Array
                ? g.EnumerateArray().Select(PythonString).ToList()
                : [];
            var status = pod.TryGetProperty("status", out var s) && s.ValueKind != JsonValueKind.Null ? PythonString(s) : null;
            view[$"{ns}/{name}"] = new PodObservation(status, Truthy(pod, "node"), groups);
        }

        return view;
    }

    /// <summary>KAI pods of the manifests by <c>namespace/name</c>, with their status as KAI derives it from the object.</summary>
    public static Dictionary<string, PodObservation> FromManifests(IReadOnlyList<YamlMappingNode> documents, string defaultNamespace)
    {
        var bindRequests = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        foreach (var document in documents.Where(d => d.Kind() == "BindRequest"))
        {
            var ns = document.Mapping("metadata")?.Text("namespace");
            bindRequests[$"{(string.IsNullOrEmpty(ns) ? defaultNamespace : ns)}/{document.Mapping("spec")?.Text("podName") ?? "None"}"] = document;
        }

        var view = new Dictionary<string, PodObservation>(StringComparer.Ordinal);
        foreach (var pod in documents.Where(IsKaiPod))
        {
            var key = pod.KeyOf(defaultNamespace);
            var metadata = pod.Mapping("metadata");
            var spec = pod.Mapping("spec");
            var podStatus = pod.Mapping("status");
            var phase = podStatus?.Text("phase") is { Length: > 0 } p ? p : "Pending";
            var node = spec?.Text("nodeName");
            IReadOnlyList<string> groups = GroupsOfLabels(metadata?.Mapping("labels"));
            var deleting = metadata?.IsSet("deletionTimestamp") == true;
            string status;
            if (phase == "Running")
            {
                status = deleting ? "Releasing" : "Running";
            }
            else if (phase == "Pending")
            {
                if (deleting)
                {
                    status = "Releasing";
                }
                else if (!string.IsNullOrEmpty(node))
                {
                    status = "Bound";
                }
                else if (bindRequests.TryGetValue(key, out var request))
                {
                    status = "Binding";
                    var requestSpec = request.Mapping("spec");
                    node = requestSpec?.Text("selectedNode");
                    if (requestSpec?.Sequence("selectedGPUGroups") is { Children.Count: > 0 } selected)
                    {
                        groups = selected.Children.OfType<YamlScalarNode>().Select(c => c.Value ?? string.Empty).ToList();
                    }
                }
                else if (spec?.IsSet("schedulingGates") == true)
                {
                    status = "Gated";
                }
                else
                {
                    status = "Pending";
                }
            }
            else
            {
                status = phase;
            }

            view[key] = new PodObservation(status, string.IsNullOrEmpty(node) ? null : node, groups);
        }

        return view;
    }

    public static bool IsKaiPod(YamlMappingNode document) =>
        document.Kind() == "Pod" && document.Mapping("spec")?.Text("schedulerName") == SchedulerName;

    /// <summary>KAI's GetGpuGroups: the single group label, else the sorted values of the multi-fraction labels.</summary>
    public static List<string> GroupsOfLabels(YamlMappingNode? labels)
    {
        if (labels is null)
        {
            return [];
        }

        if (labels.Get(GpuGroupLabel) is YamlScalarNode single)
        {
            return [single.Value ?? string.Empty];
        }

        return labels.Children
            .Where(c => c.Key is YamlScalarNode k && k.Value!.StartsWith(MultiGpuGroupPrefix, StringComparison.Ordinal))
            .Select(c => (c.Value as YamlScalarNode)?.Value ?? string.Empty)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static string? Truthy(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)
            && PythonString(value) is { Length: > 0 } text && text != "0"
            ? text
            : null;

    /// <summary>Python's <c>str()</c> of a JSON value, enough for names, statuses and group ids.</summary>
    private static string PythonString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Number => value.TryGetInt64(out var n) ? n.ToString(CultureInfo.InvariantCulture) : value.GetRawText(),
        _ => value.GetRawText(),
    };
}
