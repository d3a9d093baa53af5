using k8s;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Controllers.Tests.Deployment;

/// <summary>
/// The Helm chart as <c>deploy/helm/render.sh</c> renders it (<c>helm template --include-crds</c> with the chart's
/// ci/test-values.yaml), committed as deploy/helm/rendered/kai-scheduler.yaml; CI renders it afresh and fails when
/// it differs. Each document is loaded strictly: an unknown field is an error, as kubectl's strict validation makes it.
/// </summary>
internal static class RenderedChart
{
    private static readonly Dictionary<string, Type> Types = new()
    {
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/Service"] = typeof(V1Service),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Secret"] = typeof(V1Secret),
        ["v1/Namespace"] = typeof(V1Namespace),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = typeof(V1ClusterRole),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["admissionregistration.k8s.io/v1/MutatingWebhookConfiguration"] = typeof(V1MutatingWebhookConfiguration),
        ["admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration"] = typeof(V1ValidatingWebhookConfiguration),
        ["scheduling.k8s.io/v1/PriorityClass"] = typeof(V1PriorityClass),
        ["apiextensions.k8s.io/v1/CustomResourceDefinition"] = typeof(V1CustomResourceDefinition),
        ["scheduling.run.ai/v2/Queue"] = typeof(Queue),
    };

    public static string Path => System.IO.Path.Combine(Repository.Root, "deploy", "helm", "rendered", "kai-scheduler.yaml");

    /// <summary>Every document of the rendering, strictly loaded; throws naming the document that fails.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Load()
    {
        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        var documents = File.ReadAllText(Path).Split("\n---", StringSplitOptions.None);
        foreach (var document in documents)
        {
            // Helm writes a "# Source: <template>" line above each document; comment-only parts are not documents.
            if (document.Split('\n').All(line => line.TrimStart().Length == 0 || line.TrimStart().StartsWith('#') || line.Trim() == "---"))
            {
                continue;
            }

            var source = document.Split('\n').FirstOrDefault(l => l.StartsWith("# Source:", StringComparison.Ordinal)) ?? "(no source line)";
            try
            {
                var loaded = KubernetesYaml.LoadAllFromString(document, Types, strict: true);
                objects.AddRange(loaded.Cast<IKubernetesObject<V1ObjectMeta>>());
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{Path}: the document of {source} does not load strictly: {e.Message}", e);
            }
        }

        return objects;
    }
}
