using System.Text.Json;

namespace Kai.Conformance.Tests.Harness;

/// <summary>What a pod must look like after the case: <c>check</c> in expect.json.</summary>
/// <param name="Node">The node it must be on; null when the case does not check it.</param>
/// <param name="GpuGroupClass"><c>&lt;node&gt;/&lt;label&gt;</c> (<c>*</c> = the pod's own node): pods of one class share a GPU.</param>
internal sealed record PodCheck(string Status, string? Node, string? GpuGroupClass);

/// <summary>How one case runs and what it expects: the parts of <c>expect.json</c> the runner reads.</summary>
internal sealed record CaseExpectation
{
    public required string? SkipReason { get; init; }

    /// <summary><c>single_session</c> (one simulate call) or <c>integration_rounds</c> (KAI's RunTest loop).</summary>
    public required string Kind { get; init; }

    public required IReadOnlyList<string> Actions { get; init; }

    public required int RoundsUntilMatch { get; init; }

    public required int RoundsAfterMatch { get; init; }

    /// <summary>Jobs whose releasing pods stay releasing on their node between rounds (KAI's DeleteJobInTest).</summary>
    public required IReadOnlySet<string> DeletedJobs { get; init; }

    /// <summary>The configuration file next to scenario.yaml, when the case has one.</summary>
    public required string? ConfigFile { get; init; }

    public required string Now { get; init; }

    public required string DefaultNamespace { get; init; }

    /// <summary>Checked pods as <c>namespace/name</c>, in the order expect.json lists them.</summary>
    public required IReadOnlyList<string> CheckedPods { get; init; }

    public required IReadOnlyDictionary<string, PodCheck> Checks { get; init; }

    public static CaseExpectation Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new HarnessException($"{path}: cannot read expect.json: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var harness = root.GetProperty("harness");
            var kind = harness.GetProperty("kind").GetString()!;
            var integration = kind == "integration_rounds";
            var checks = new Dictionary<string, PodCheck>(StringComparer.Ordinal);
            foreach (var pod in root.GetProperty("pods").EnumerateObject())
            {
                if (pod.Value.TryGetProperty("check", out var check) && check.ValueKind == JsonValueKind.Object)
                {
                    checks[pod.Name] = new PodCheck(check.GetProperty("status").GetString()!, NonEmpty(check, "node"), NonEmpty(check, "gpu_group_class"));
                }
            }

            var deleted = integration && harness.TryGetProperty("delete_job_in_test", out var jobs) && jobs.ValueKind == JsonValueKind.Object
                ? jobs.EnumerateObject().Select(j => j.Name).ToHashSet(StringComparer.Ordinal)
                : [];
            return new CaseExpectation
            {
                SkipReason = NonEmpty(root, "skip_reason"),
                Kind = kind,
                Actions = harness.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToList(),
                RoundsUntilMatch = integration ? harness.GetProperty("rounds_until_match").GetInt32() : 0,
                RoundsAfterMatch = integration ? harness.GetProperty("rounds_after_match").GetInt32() : 0,
                DeletedJobs = deleted,
                ConfigFile = NonEmpty(root.GetProperty("config"), "file"),
                Now = root.GetProperty("now").GetString()!,
                DefaultNamespace = root.GetProperty("default_namespace").GetString()!,
                CheckedPods = root.GetProperty("checked_pods").EnumerateArray().Select(p => p.GetString()!).ToList(),
                Checks = checks,
            };
        }
    }

    private static string? NonEmpty(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
