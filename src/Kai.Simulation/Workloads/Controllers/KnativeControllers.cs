using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Cluster.Workloads;

namespace Kai.Simulation.Workloads.Controllers;

/// <summary>
/// Knative Serving, for a simulation: a Service keeps a Configuration of the same name with its template; a
/// Configuration stamps a Revision <c>&lt;config&gt;-&lt;generation, 5 digits&gt;</c> per generation; a Revision runs as a
/// Deployment <c>&lt;revision&gt;-deployment</c> whose pods carry the <c>serving.knative.dev/revision</c> (and service,
/// configuration) labels KAI's pod-grouper reads. The latest revision runs
/// <c>max(autoscaling.knative.dev/min-scale, initial-scale)</c> replicas (initial-scale 1 by default), older ones none;
/// request-driven autoscaling and the queue-proxy sidecar are not simulated.
/// </summary>
internal sealed class KnativeControllers : IWorkloadController
{
    public const string ServiceLabel = "serving.knative.dev/service";
    public const string ConfigurationLabel = "serving.knative.dev/configuration";
    public const string RevisionLabel = "serving.knative.dev/revision";
    public const string RevisionUidLabel = "serving.knative.dev/revisionUID";
    public const string MinScaleAnnotation = "autoscaling.knative.dev/min-scale";
    public const string InitialScaleAnnotation = "autoscaling.knative.dev/initial-scale";

    public IReadOnlyList<KindKey> Kinds => [WorkloadKinds.KnativeService, WorkloadKinds.KnativeConfiguration, WorkloadKinds.KnativeRevision];

    public ValueTask ReconcileAsync(IKubernetesObject<V1ObjectMeta> owner, WorkloadContext context)
    {
        var obj = (GenericObject)owner;
        return obj.Kind switch
        {
            "Service" => ServiceAsync(obj, context),
            "Configuration" => ConfigurationAsync(obj, context),
            _ => RevisionAsync(obj, context),
        };
    }

    private static async ValueTask ServiceAsync(GenericObject service, WorkloadContext context)
    {
        var template = service.Field("spec") is { } spec && Json.At(spec, "template") is { } t ? t : default;
        var configuration = context.Children(service, WorkloadKinds.KnativeConfiguration).FirstOrDefault();
        if (configuration is null)
        {
            await context.CreateAsync(new GenericObject
            {
                ApiVersion = WorkloadKinds.KnativeConfiguration.ApiVersion,
                Kind = WorkloadKinds.KnativeConfiguration.Kind,
                Metadata = new V1ObjectMeta
                {
                    Name = service.Metadata.Name,
                    NamespaceProperty = service.Metadata.NamespaceProperty,
                    Labels = PodTemplates.Merge(service.Metadata.Labels, new Dictionary<string, string> { [ServiceLabel] = service.Metadata.Name }),
                    OwnerReferences = [PodTemplates.ControllerReference(service, WorkloadKinds.KnativeService)],
                },
                Fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["spec"] = JsonSerializer.SerializeToElement(new JsonObject { ["template"] = JsonNode.Parse(template.ValueKind == JsonValueKind.Undefined ? "{}" : template.GetRawText()) }) },
            }).ConfigureAwait(false);
            return;
        }

        var current = configuration.Field("spec") is { } configured && Json.At(configured, "template") is { } c ? c : default;
        if (template.ValueKind != JsonValueKind.Undefined && (current.ValueKind == JsonValueKind.Undefined || !JsonElement.DeepEquals(current, template)))
        {
            var updated = configuration.WithField("spec", JsonSerializer.SerializeToElement(new JsonObject { ["template"] = JsonNode.Parse(template.GetRawText()) }));
            await context.ReplaceAsync(updated).ConfigureAwait(false);
        }

        var status = WorkloadContext.StatusOf(service);
        var configurationStatus = WorkloadContext.StatusOf(configuration);
        status["latestCreatedRevisionName"] = configurationStatus["latestCreatedRevisionName"]?.DeepClone();
        status["latestReadyRevisionName"] = configurationStatus["latestReadyRevisionName"]?.DeepClone();
        await context.WriteStatusAsync(service, status).ConfigureAwait(false);
    }

    private static async ValueTask ConfigurationAsync(GenericObject configuration, WorkloadContext context)
    {
        var generation = configuration.Metadata.Generation ?? 1;
        var name = $"{configuration.Metadata.Name}-{generation.ToString("00000", CultureInfo.InvariantCulture)}";
        var revisions = context.Children(configuration, WorkloadKinds.KnativeRevision);
        var latest = revisions.Find(r => r.Metadata.Name == name);
        var template = configuration.Field("spec") is { } spec && Json.At(spec, "template") is { } t ? t : default;
        if (latest is null && template.ValueKind == JsonValueKind.Object)
        {
            var labels = new Dictionary<string, string>
            {
                [ConfigurationLabel] = configuration.Metadata.Name,
                ["serving.knative.dev/configurationGeneration"] = generation.ToString(CultureInfo.InvariantCulture),
                ["serving.knative.dev/routingState"] = "active",
            };
            if (configuration.Metadata.Labels?.TryGetValue(ServiceLabel, out var service) == true)
            {
                labels[ServiceLabel] = service;
            }

            var metadata = Json.At(template, "metadata") is { } m ? Json.Read<V1ObjectMeta>(m) : new V1ObjectMeta();
            latest = await context.CreateAsync(new GenericObject
            {
                ApiVersion = WorkloadKinds.KnativeRevision.ApiVersion,
                Kind = WorkloadKinds.KnativeRevision.Kind,
                Metadata = new V1ObjectMeta
                {
                    Name = name,
                    NamespaceProperty = configuration.Metadata.NamespaceProperty,
                    Labels = PodTemplates.Merge(metadata.Labels, labels),
                    Annotations = metadata.Annotations is { Count: > 0 } annotations ? new Dictionary<string, string>(annotations) : null,
                    OwnerReferences = [PodTemplates.ControllerReference(configuration, WorkloadKinds.KnativeConfiguration)],
                },
                Fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["spec"] = (Json.At(template, "spec") ?? JsonSerializer.SerializeToElement(new JsonObject())).Clone() },
            }).ConfigureAwait(false);
        }

        // Older revisions get no traffic, so they scale to zero.
        foreach (var old in revisions.Where(r => r.Metadata.Name != name))
        {
            foreach (var stale in context.Children<V1Deployment>(old).Where(d => d.Spec.Replicas != 0))
            {
                await context.ReplaceAsync(stale with { Spec = stale.Spec with { Replicas = 0 } }).ConfigureAwait(false);
            }
        }

        var status = WorkloadContext.StatusOf(configuration);
        status["latestCreatedRevisionName"] = name;
        if (latest is not null && Json.Boolean(latest.Field("status") ?? default, "ready") == true)
        {
            status["latestReadyRevisionName"] = name;
        }

        status["observedGeneration"] = generation;
        await context.WriteStatusAsync(configuration, status).ConfigureAwait(false);
    }

    private static async ValueTask RevisionAsync(GenericObject revision, WorkloadContext context)
    {
        var configurationName = revision.Metadata.Labels?.TryGetValue(ConfigurationLabel, out var c) == true ? c : null;
        var configuration = configurationName is null ? null : await context.GetAsync(WorkloadKinds.KnativeConfiguration, revision.Metadata.NamespaceProperty, configurationName).ConfigureAwait(false) as GenericObject;
        var latest = configuration is null || Json.String(configuration.Field("status") ?? default, "latestCreatedRevisionName") is not { } latestName || latestName == revision.Metadata.Name;
        var replicas = latest ? Math.Max(Scale(revision, MinScaleAnnotation, 0), Scale(revision, InitialScaleAnnotation, 1)) : 0;

        var deployment = context.Children<V1Deployment>(revision).FirstOrDefault();
        if (deployment is null)
        {
            await context.CreateAsync(RevisionDeployment(revision, replicas)).ConfigureAwait(false);
            return;
        }

        if (deployment.Spec.Replicas != replicas)
        {
            await context.ReplaceAsync(deployment with { Spec = deployment.Spec with { Replicas = replicas } }).ConfigureAwait(false);
        }

        var status = WorkloadContext.StatusOf(revision);
        status["actualReplicas"] = deployment.Status?.ReadyReplicas ?? 0;
        status["desiredReplicas"] = replicas;
        status["ready"] = replicas == 0 || deployment.Status?.ReadyReplicas >= replicas;
        await context.WriteStatusAsync(revision, status).ConfigureAwait(false);
    }

    private static int Scale(GenericObject revision, string annotation, int fallback) =>
        revision.Metadata.Annotations?.TryGetValue(annotation, out var text) == true && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;

    private static V1Deployment RevisionDeployment(GenericObject revision, int replicas)
    {
        var spec = revision.Field("spec") is { } s ? Json.Read<V1PodSpec>(s) : new V1PodSpec { Containers = [] };
        var labels = new Dictionary<string, string>(revision.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [RevisionLabel] = revision.Metadata.Name,
            [RevisionUidLabel] = revision.Metadata.Uid!,
            ["app"] = revision.Metadata.Name,
        };
        var selector = new Dictionary<string, string> { [RevisionUidLabel] = revision.Metadata.Uid! };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta
            {
                Name = revision.Metadata.Name + "-deployment",
                NamespaceProperty = revision.Metadata.NamespaceProperty,
                Labels = labels,
                OwnerReferences = [PodTemplates.ControllerReference(revision, WorkloadKinds.KnativeRevision)],
            },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = selector },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = revision.Metadata.Annotations is { Count: > 0 } a ? new Dictionary<string, string>(a) : null },
                    Spec = spec,
                },
            },
        };
    }
}
