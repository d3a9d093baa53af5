using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.ApiServer.Patching;
using Kai.Cluster.Crds;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Admission;

namespace Kai.Cluster.Kubernetes.Tests.Harness;

/// <summary>
/// The part of a real API server that calls admission webhooks, for kai serve's store: as the chart's
/// <c>mutating-kai-admission</c> and <c>validating-kai-admission</c> configure it — pods of kai-scheduler are mutated on
/// create and validated on create and update, Queues and PodGroups validated — each write is sent as an AdmissionReview
/// over HTTPS to the webhook server, its JSON patch applied, its denial returned to the client.
/// </summary>
internal sealed class WebhookCallingAdmission(Uri webhooks) : IEmbeddedAdmission, IDisposable
{
    // kai run makes itself a certificate; a real API server would trust the configuration's caBundle instead.
    private readonly HttpClient _http = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
    {
        BaseAddress = webhooks,
        Timeout = LiveApi.Patience,
    };

    public int Calls { get; private set; }

    public IKubernetesObject<V1ObjectMeta> Admit(EmbeddedCluster cluster, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old)
    {
        var operation = old is null ? "CREATE" : "UPDATE";
        switch (obj)
        {
            case V1Pod { Spec.SchedulerName: "kai-scheduler" }:
                var admitted = operation == "CREATE" ? Call(AdmissionReviewHandler.MutatePodPath, KaiAdmission.MutatingConfigurationName, obj, old, operation) : obj;
                Call(AdmissionReviewHandler.ValidatePodPath, KaiAdmission.ValidatingConfigurationName, admitted, old, operation);
                return admitted;
            case Queue:
                return Call(AdmissionReviewHandler.ValidateQueuePath, KaiAdmission.ValidatingConfigurationName, obj, old, operation);
            case PodGroup:
                return Call(AdmissionReviewHandler.ValidatePodGroupPath, KaiAdmission.ValidatingConfigurationName, obj, old, operation);
            default:
                return obj;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One AdmissionReview; the object as patched, or a ClusterException with the API server's denial text.</summary>
    private IKubernetesObject<V1ObjectMeta> Call(string path, string configuration, IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta>? old, string operation)
    {
        Calls++;
        var json = JsonNode.Parse(KubernetesJson.Serialize(obj))!;
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = Guid.NewGuid().ToString(),
                ["operation"] = operation,
                ["object"] = json.DeepClone(),
                ["oldObject"] = old is null ? null : JsonNode.Parse(KubernetesJson.Serialize(old)),
            },
        };

        // The embedded store calls admission synchronously; a real API server waits for the webhook just the same.
        using var response = _http.PostAsync(path, new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        var answer = response.Content.ReadFromJsonAsync<JsonObject>().GetAwaiter().GetResult()!["response"]!;
        if (!answer["allowed"]!.GetValue<bool>())
        {
            throw new ClusterException(ClusterErrorReason.Invalid, $"admission webhook \"{configuration}\" denied the request: {answer["status"]?["message"]?.GetValue<string>()}");
        }

        if (answer["patch"]?.GetValue<string>() is not { } patch)
        {
            return obj;
        }

        var patched = JsonPatch.Apply(json, JsonNode.Parse(Convert.FromBase64String(patch)))!;
        return obj is V1Pod ? KubernetesJson.Deserialize<V1Pod>(patched.ToJsonString()) : obj; // only pods are mutated
    }
}
