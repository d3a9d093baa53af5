using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// DRA claim statuses between rounds, as run_kai_cases.py writes them: when the report lists
/// <c>resourceClaims</c> their non-empty statuses are copied; otherwise each claim of a pod that started this
/// round is allocated the first free devices of its node's ResourceSlices and reserved for the pod.
/// </summary>
internal static class ClaimWriteback
{
    public static void Apply(List<YamlMappingNode> documents, IReadOnlyList<(YamlMappingNode Pod, string Node)> newlyRunning, JsonElement output, string defaultNamespace)
    {
        var claims = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        foreach (var claim in documents.Where(d => d.Kind() == "ResourceClaim"))
        {
            claims[claim.KeyOf(defaultNamespace)] = claim;
        }

        if (claims.Count == 0)
        {
            return;
        }

        if (output.TryGetProperty("resourceClaims", out var reported) && reported.ValueKind == JsonValueKind.Array)
        {
            CopyReported(claims, reported, defaultNamespace);
            return;
        }

        var slices = documents.Where(d => d.Kind() == "ResourceSlice").ToList();
        foreach (var (pod, node) in newlyRunning)
        {
            var ns = pod.Mapping("metadata")?.Text("namespace") is { Length: > 0 } n ? n : defaultNamespace;
            var statusNames = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var entry in pod.Mapping("status")?.Sequence("resourceClaimStatuses")?.Children.OfType<YamlMappingNode>() ?? [])
            {
                statusNames[entry.Text("name") ?? "None"] = entry.Text("resourceClaimName");
            }

            var names = new List<string>();
            foreach (var reference in pod.Mapping("spec")?.Sequence("resourceClaims")?.Children.OfType<YamlMappingNode>() ?? [])
            {
                var name = reference.Text("resourceClaimName") is { Length: > 0 } direct ? direct : statusNames.GetValueOrDefault(reference.Text("name") ?? "None");
                if (!string.IsNullOrEmpty(name))
                {
                    names.Add(name);
                }
            }

            foreach (var name in names)
            {
                if (!claims.TryGetValue($"{ns}/{name}", out var claim))
                {
                    continue;
                }

                var status = claim.EnsureMapping("status");
                if (!status.IsSet("allocation") && AllocateDevices(claim, node, slices, claims.Values) is { } allocation)
                {
                    status.Set("allocation", allocation);
                }

                var reservedFor = status.EnsureSequence("reservedFor");
                var podMetadata = pod.Mapping("metadata");
                var podName = podMetadata?.Text("name");
                if (!reservedFor.Children.OfType<YamlMappingNode>().Any(r => r.Text("name") == podName))
                {
                    var uid = podMetadata?.Text("uid") is { Length: > 0 } u ? u : podName;
                    reservedFor.Add(new YamlMappingNode(
                        new YamlScalarNode("resource"), YamlTree.String("pods"),
                        new YamlScalarNode("name"), YamlTree.String(podName ?? "None"),
                        new YamlScalarNode("uid"), YamlTree.String(uid ?? "None")));
                }
            }
        }
    }

    private static void CopyReported(Dictionary<string, YamlMappingNode> claims, JsonElement reported, string defaultNamespace)
    {
        foreach (var claim in reported.EnumerateArray())
        {
            if (claim.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var ns = claim.TryGetProperty("namespace", out var n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } nsText ? nsText : defaultNamespace;
            var name = claim.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String ? nm.GetString() : "None";
            if (!claims.TryGetValue($"{ns}/{name}", out var document) || !claim.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (new[] { "allocation", "reservedFor", "devices" }.Any(p => status.TryGetProperty(p, out var v) && IsTruthy(v)))
            {
                document.Set("status", FromJson(status));
            }
        }
    }

    /// <summary>The first free devices of the node's slices (or slices for all nodes) for each request; null when they do not suffice.</summary>
    private static YamlMappingNode? AllocateDevices(YamlMappingNode claim, string node, IReadOnlyList<YamlMappingNode> slices, IEnumerable<YamlMappingNode> allClaims)
    {
        var requests = claim.Mapping("spec")?.Mapping("devices")?.Sequence("requests")?.Children.OfType<YamlMappingNode>().ToList() ?? [];
        if (requests.Count == 0)
        {
            return null;
        }

        var used = new HashSet<(string?, string?)>();
        foreach (var other in allClaims)
        {
            foreach (var result in other.Mapping("status")?.Mapping("allocation")?.Mapping("devices")?.Sequence("results")?.Children.OfType<YamlMappingNode>() ?? [])
            {
                used.Add((result.Text("pool"), result.Text("device")));
            }
        }

        var results = new YamlSequenceNode();
        foreach (var request in requests)
        {
            var count = request.Mapping("exactly")?.Text("count");
            var need = string.IsNullOrEmpty(count) || count == "0" ? 1 : int.Parse(count, CultureInfo.InvariantCulture);
            foreach (var slice in slices)
            {
                var spec = slice.Mapping("spec");
                if (spec is null || !(spec.Text("nodeName") == node || spec.IsSet("allNodes")))
                {
                    continue;
                }

                var pool = spec.Mapping("pool")?.Text("name");
                foreach (var device in spec.Sequence("devices")?.Children.OfType<YamlMappingNode>() ?? [])
                {
                    if (need == 0)
                    {
                        break;
                    }

                    if (!used.Add((pool, device.Text("name"))))
                    {
                        continue;
                    }

                    results.Add(new YamlMappingNode(
                        new YamlScalarNode("request"), Scalar(request.Text("name")),
                        new YamlScalarNode("driver"), Scalar(spec.Text("driver")),
                        new YamlScalarNode("pool"), Scalar(pool),
                        new YamlScalarNode("device"), Scalar(device.Text("name"))));
                    need--;
                }
            }

            if (need > 0)
            {
                return null;
            }
        }

        var matchField = new YamlMappingNode(
            new YamlScalarNode("key"), YamlTree.String("metadata.name"),
            new YamlScalarNode("operator"), YamlTree.String("In"),
            new YamlScalarNode("values"), new YamlSequenceNode(YamlTree.String(node)));
        return new YamlMappingNode(
            new YamlScalarNode("devices"), new YamlMappingNode(new YamlScalarNode("results"), results),
            new YamlScalarNode("nodeSelector"), new YamlMappingNode(
                new YamlScalarNode("nodeSelectorTerms"), new YamlSequenceNode(new YamlMappingNode(new YamlScalarNode("matchFields"), new YamlSequenceNode(matchField)))));
    }

    private static YamlScalarNode Scalar(string? value) => value is null ? new YamlScalarNode("null") : YamlTree.String(value);

    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => value.EnumerateObject().Any(),
        JsonValueKind.Array => value.GetArrayLength() > 0,
        JsonValueKind.String => value.GetString()!.Length > 0,
        JsonValueKind.Number => value.GetRawText() is not ("0" or "0.0"),
        JsonValueKind.True => true,
        _ => false,
    };

    private static YamlNode FromJson(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(value.EnumerateObject().Select(p => new KeyValuePair<YamlNode, YamlNode>(YamlTree.String(p.Name), FromJson(p.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(value.EnumerateArray().Select(FromJson)),
        JsonValueKind.String => YamlTree.String(value.GetString()!),
        JsonValueKind.Null => new YamlScalarNode("null"),
        JsonValueKind.True => new YamlScalarNode("true"),
        JsonValueKind.False => new YamlScalarNode("false"),
        _ => new YamlScalarNode(value.GetRawText()),
    };
}
