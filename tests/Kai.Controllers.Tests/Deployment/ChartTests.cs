using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Controllers.Admission;

namespace Kai.Controllers.Tests.Deployment;

/// <summary>The Helm chart deploy/helm/kai-scheduler as rendered (see <see cref="RenderedChart"/>).</summary>
public sealed class ChartTests
{
    private static readonly IReadOnlyList<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>> Objects = RenderedChart.Load();

    [Fact]
    public void Render_WhenLoadedStrictly_HoldsEveryObjectTheChartInstalls()
    {
        var kinds = Objects.GroupBy(o => o.GetType().Name).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(6, kinds["V1CustomResourceDefinition"]);
        Assert.Equal(7, kinds["V1Deployment"]);
        Assert.Equal(7, kinds["V1ServiceAccount"]);
        Assert.Equal(7, kinds["V1ClusterRole"]);
        Assert.Equal(4, kinds["V1PriorityClass"]);
        Assert.Equal(2, kinds["Queue"]);
        Assert.Equal(1, kinds["V1MutatingWebhookConfiguration"]);
        Assert.Equal(1, kinds["V1ValidatingWebhookConfiguration"]);
    }

    [Fact]
    public void Deployments_WhenRendered_RunKaiAsNonRootWithLeaderElectionAndProbes()
    {
        foreach (var deployment in Objects.OfType<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            Assert.Equal("ghcr.io/kai-scheduler-dotnet/kai:0.1.0", container.Image);
            Assert.Equal("run", container.Args[0]);
            Assert.Contains("--leader-elect", container.Args);
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal(1654, pod.SecurityContext.RunAsUser);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.Equal("/healthz", container.LivenessProbe.HttpGet.Path);
            Assert.Equal("/readyz", container.ReadinessProbe.HttpGet.Path);
        }

        var scheduler = Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "kai-scheduler");
        Assert.Equal(2, scheduler.Spec.Replicas);
        Assert.Contains("--config=/etc/kai/config.yaml", scheduler.Spec.Template.Spec.Containers[0].Args);
    }

    [Fact]
    public void Crds_WhenRendered_AreKaisSixWithTheirGroupsVersionsAndScopes()
    {
        var crds = Objects.OfType<V1CustomResourceDefinition>().ToDictionary(c => c.Metadata.Name);

        Assert.Equal(
            ["bindrequests.scheduling.run.ai", "configs.kai.scheduler", "podgroups.scheduling.run.ai", "queues.scheduling.run.ai", "schedulingshards.kai.scheduler", "topologies.kai.scheduler"],
            crds.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, kind) in new[] { ("configs.kai.scheduler", "Config"), ("schedulingshards.kai.scheduler", "SchedulingShard") })
        {
            var crd = crds[name];
            var version = Assert.Single(crd.Spec.Versions);
            Assert.Equal((kind, "Cluster", "v1", true), (crd.Spec.Names.Kind, crd.Spec.Scope, version.Name, version.Storage));
            Assert.NotNull(version.Subresources.Status);
        }

        var shardSpec = Assert.Single(crds["schedulingshards.kai.scheduler"].Spec.Versions).Schema.OpenAPIV3Schema.Properties["spec"].Properties;
        Assert.Equal(
            ["actions", "args", "kValue", "minRuntime", "partitionLabelValue", "placementStrategy", "plugins", "queueDepthPerAction", "stuckInReleasingThreshold", "usageDBConfig"],
            shardSpec.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NodeScaleAdjuster_WhenClusterAutoscalingIsOn_RunsWithItsNamespaceAndTheKaiImageForScalingPods()
    {
        var deployment = Objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "node-scale-adjuster");
        var args = Assert.Single(deployment.Spec.Template.Spec.Containers).Args;

        Assert.Contains("--components=nodescaleadjuster", args);
        Assert.Contains("--scale-adjust-namespace=kai-scale-adjust", args);
        Assert.Contains("--scaling-pod-image=ghcr.io/kai-scheduler-dotnet/kai:0.1.0", args);
        Assert.Contains("--gpu-memory-to-fraction-ratio=0.1", args);
        Assert.Contains(Objects.OfType<V1Namespace>(), n => n.Metadata.Name == "kai-scale-adjust");
        Assert.Equal("node-scale-adjuster", deployment.Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void WebhookConfigurations_WhenRendered_UseKaisNamesAndTheServedPaths()
    {
        var mutating = Objects.OfType<V1MutatingWebhookConfiguration>().Single();
        var validating = Objects.OfType<V1ValidatingWebhookConfiguration>().Single();

        Assert.Equal((KaiAdmission.MutatingConfigurationName, KaiAdmission.ValidatingConfigurationName), (mutating.Metadata.Name, validating.Metadata.Name));
        var pods = Assert.Single(mutating.Webhooks);
        Assert.Equal((AdmissionReviewHandler.MutatePodPath, "IfNeeded", "Fail"), (pods.ClientConfig.Service.Path, pods.ReinvocationPolicy, pods.FailurePolicy));
        Assert.Equal("object.spec.schedulerName == 'kai-scheduler'", Assert.Single(pods.MatchConditions).Expression);
        Assert.Equal(
            [AdmissionReviewHandler.ValidatePodPath, AdmissionReviewHandler.ValidateQueuePath, AdmissionReviewHandler.ValidatePodGroupPath],
            validating.Webhooks.Select(w => w.ClientConfig.Service.Path));
        Assert.All(validating.Webhooks, w => Assert.Equal(["CREATE", "UPDATE"], w.Rules.Single().Operations));
        var service = Objects.OfType<V1Service>().Single(s => s.Metadata.Name == pods.ClientConfig.Service.Name);
        Assert.Equal("webhook", service.Spec.Ports.Single().TargetPort.Value);
        var secret = Objects.OfType<V1Secret>().Single();
        Assert.Equal("kai-admission-webhook-tls-secret", secret.Metadata.Name);
    }

    [Fact]
    public void DefaultsOfKai_WhenRendered_AreTheQuickstartQueuesAndPriorityClasses()
    {
        Assert.Equal(
            [("train", 50), ("build-preemptible", 75), ("build", 100), ("inference", 125)],
            Objects.OfType<V1PriorityClass>().Select(p => (p.Metadata.Name, p.Value)));
        var queues = Objects.OfType<Queue>().ToDictionary(q => q.Metadata.Name);
        Assert.Equal("default-parent-queue", queues["default-queue"].Spec.ParentQueue);
        Assert.Equal(-1, queues["default-queue"].Spec.Resources!.Gpu!.Limit);
    }
}
