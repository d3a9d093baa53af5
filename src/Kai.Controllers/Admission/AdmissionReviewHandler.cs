using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Controllers.Admission;

/// <summary>
/// Answers <c>admission.k8s.io/v1</c> AdmissionReviews on KAI's webhook paths: <c>/mutate--v1-pod</c> (a JSON patch
/// with the pod mutations), <c>/validate--v1-pod</c>, <c>/validate-scheduling-run-ai-v2-queue</c> and
/// <c>/validate-scheduling-run-ai-v2alpha2-podgroup</c>, all decided by <see cref="KaiAdmission"/>.
/// </summary>
public sealed class AdmissionReviewHandler(KaiAdmission admission, Func<CancellationToken, ValueTask<IReadOnlyList<Queue>>> storedQueues)
{
    public const string MutatePodPath = "/mutate--v1-pod";
    public const string ValidatePodPath = "/validate--v1-pod";
    public const string ValidateQueuePath = "/validate-scheduling-run-ai-v2-queue";
    public const string ValidatePodGroupPath = "/validate-scheduling-run-ai-v2alpha2-podgroup";

    /// <summary>The answer to the AdmissionReview <paramref name="review"/> posted to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The path is not a webhook path, or the body is not an AdmissionReview with a request.</exception>
    public async Task<JsonObject> ReviewAsync(string path, JsonNode review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(review);
        var request = review["request"] as JsonObject ?? throw new ArgumentException("the body is not an AdmissionReview: it has no request");
        var uid = request["uid"]?.GetValue<string>() ?? string.Empty;
        var operation = request["operation"]?.GetValue<string>() ?? "CREATE";
        var (type, mutate) = path switch
        {
            MutatePodPath => (typeof(V1Pod), true),
            ValidatePodPath => (typeof(V1Pod), false),
            ValidateQueuePath => (typeof(Queue), false),
            ValidatePodGroupPath => (typeof(PodGroup), false),
            _ => throw new ArgumentException($"{path} is not a webhook path; use {MutatePodPath}, {ValidatePodPath}, {ValidateQueuePath} or {ValidatePodGroupPath}"),
        };

        if (operation is not ("CREATE" or "UPDATE") || request["object"] is not JsonObject objectNode)
        {
            return Answer(uid, allowed: true);
        }

        var obj = Decode(type, objectNode);
        var old = operation == "UPDATE" && request["oldObject"] is JsonObject oldNode ? Decode(type, oldNode) : null;
        IReadOnlyList<Queue>? queues = type == typeof(Queue) ? await storedQueues(cancellationToken).ConfigureAwait(false) : null;
        var decision = admission.Review(obj, old, () => queues ?? []);
        if (mutate)
        {
            // The mutating webhook only mutates; the validating one rejects.
            if (!decision.Allowed || !decision.Mutated)
            {
                return Answer(uid, allowed: true, warnings: decision.Warnings);
            }

            var patch = PodPatch(objectNode, JsonNode.Parse(KubernetesJson.Serialize(decision.Object))!.AsObject());
            var answer = Answer(uid, allowed: true, warnings: decision.Warnings);
            var response = answer["response"]!.AsObject();
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString()));
            return answer;
        }

        return decision.Allowed
            ? Answer(uid, allowed: true, warnings: decision.Warnings)
            : Answer(uid, allowed: false, message: decision.Message, warnings: decision.Warnings);
    }

    private static IKubernetesObject<V1ObjectMeta> Decode(Type type, JsonObject node)
    {
        var json = node.ToJsonString();
        IKubernetesObject<V1ObjectMeta>? obj = type == typeof(V1Pod) ? KubernetesJson.Deserialize<V1Pod>(json)
            : type == typeof(Queue) ? KubernetesJson.Deserialize<Queue>(json)
            : KubernetesJson.Deserialize<PodGroup>(json);
        return obj?.Metadata is null ? throw new ArgumentException($"the request object is not a {type.Name} with metadata") : obj;
    }

    // The mutations touch annotations, containers, volumes and runtimeClassName: "add" sets each whole part.
    private static JsonArray PodPatch(JsonObject before, JsonObject after)
    {
        var patch = new JsonArray();
        AddIfChanged(patch, "/metadata/annotations", before["metadata"]?["annotations"], after["metadata"]?["annotations"]);
        AddIfChanged(patch, "/spec/containers", before["spec"]?["containers"], after["spec"]?["containers"]);
        AddIfChanged(patch, "/spec/volumes", before["spec"]?["volumes"], after["spec"]?["volumes"]);
        AddIfChanged(patch, "/spec/runtimeClassName", before["spec"]?["runtimeClassName"], after["spec"]?["runtimeClassName"]);
        return patch;
    }

    private static void AddIfChanged(JsonArray patch, string path, JsonNode? before, JsonNode? after)
    {
        if (after is not null && !JsonNode.DeepEquals(before, after))
        {
            patch.Add(new JsonObject { ["op"] = "add", ["path"] = path, ["value"] = after.DeepClone() });
        }
    }

    private static JsonObject Answer(string uid, bool allowed, string? message = null, IReadOnlyList<string>? warnings = null)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = allowed };
        if (message is not null)
        {
            response["status"] = new JsonObject { ["code"] = 400, ["reason"] = "BadRequest", ["message"] = message };
        }

        if (warnings is { Count: > 0 })
        {
            response["warnings"] = new JsonArray([.. warnings.Select(w => (JsonNode?)JsonValue.Create(w))]);
        }

        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
    }
}
