using k8s.Models;
using Kai.Cluster.Manifests;

namespace Kai.Cluster.Tests.Manifests;

/// <summary>Pods and names judged as the API server and KAI's admission webhook judge them: rejected with the field named.</summary>
public sealed class ManifestLoaderApiServerRulesTests
{
    [Fact]
    public void LoadText_WhenNvidiaGpuIsFractional_RejectsThePodAndPointsToTheGpuFractionAnnotation()
    {
        var set = ManifestLoader.LoadText(Pod("p", resources: "limits: {nvidia.com/gpu: 0.5}"), "p.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, "Pod default/p", 13), (error.Severity, error.ObjectRef, error.Location.Line));
        Assert.Equal(
            "container \"main\" resources.limits[\"nvidia.com/gpu\"] is 0.5; nvidia.com/gpu is an extended resource, and extended resources are whole numbers. " +
            "To share a GPU, request a fraction with the pod annotation gpu-fraction (e.g. gpu-fraction: \"0.5\") and no nvidia.com/gpu",
            error.Message);
    }

    [Theory]
    [InlineData("requests: {cpu: '2'}\n        limits: {cpu: '1'}", "container \"main\" resources.requests.cpu (2) is above its limit (1); a request must be at most the limit. Raise the limit or lower the request")]
    [InlineData("requests: {example.com/fpga: '1'}", "container \"main\" resources.requests[\"example.com/fpga\"] is set without a limit; example.com/fpga is an extended resource, which the API server requires in resources.limits (a request may be left out: it defaults to the limit). Write it under limits instead")]
    [InlineData("requests: {nvidia.com/gpu: '1'}\n        limits: {nvidia.com/gpu: '2'}", "container \"main\" resources.requests[\"nvidia.com/gpu\"] is 1, but its limit is 2; the API server requires requests of an extended resource to equal the limit. Leave the request out (it defaults to the limit) or make them equal")]
    [InlineData("limits: {gpu: '1'}", "container \"main\" resources.limits.gpu: \"gpu\" is not a resource a container can request (did you mean nvidia.com/gpu?); use cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource with a domain such as nvidia.com/gpu")]
    [InlineData("limits: {memory: 16Pi}", "container \"main\" resources.limits.memory: \"16Pi\" is beyond the largest amount the scheduler accounts, 9007199254740992 (2^53 units); no real machine has that much, so it is rejected rather than capped")]
    [InlineData("requests: {cpu: 1e13}", "container \"main\" resources.requests.cpu: \"1e13\" is beyond the largest amount the scheduler accounts, 9007199254740.992 (2^53 thousandths); no real machine has that much, so it is rejected rather than capped")]
    public void LoadText_WhenContainerResourcesBreakTheApiServersRules_RejectsThePodNamingTheField(string resources, string message)
    {
        var set = ManifestLoader.LoadText(Pod("p", resources: resources), "p.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, message), (error.Severity, error.Message));
    }

    [Theory]
    [InlineData("gpu-fraction: '0'", "annotation gpu-fraction is \"0\"; it must be a number above 0 and below 1, e.g. \"0.5\" (for a whole GPU use nvidia.com/gpu: 1 under resources.limits)")]
    [InlineData("gpu-fraction: '1.5'", "annotation gpu-fraction is \"1.5\"; it must be a number above 0 and below 1, e.g. \"0.5\" (for a whole GPU use nvidia.com/gpu: 1 under resources.limits)")]
    [InlineData("gpu-fraction: half", "annotation gpu-fraction is \"half\"; it must be a number above 0 and below 1, e.g. \"0.5\" (for a whole GPU use nvidia.com/gpu: 1 under resources.limits)")]
    [InlineData("gpu-fraction-num-devices: '2'", "annotation gpu-fraction-num-devices needs annotation gpu-fraction or gpu-memory: it says how many devices receive that share. Add e.g. gpu-fraction: \"0.5\" or remove it")]
    [InlineData("gpu-memory: '-4'", "annotation gpu-memory is \"-4\"; it must be a whole number of MiB above 0, e.g. \"4096\"")]
    [InlineData("{gpu-fraction: '0.5', gpu-fraction-num-devices: '0'}", "annotation gpu-fraction-num-devices is \"0\"; it must be a whole number above 0, e.g. \"2\"")]
    public void LoadText_WhenKaiPodHasInvalidGpuSharingAnnotations_RejectsItAsKaisAdmissionDoes(string annotations, string message)
    {
        var set = ManifestLoader.LoadText(Pod("p", annotations: annotations), "p.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, 6, message), (error.Severity, error.Location.Line!.Value, error.Message));
    }

    [Fact]
    public void LoadText_WhenGpuFractionIsCombinedWithWholeGpus_RejectsThePod()
    {
        var set = ManifestLoader.LoadText(Pod("p", annotations: "gpu-fraction: '0.5'", resources: "limits: {nvidia.com/gpu: '1'}"), "p.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.StartsWith("annotation gpu-fraction \"0.5\" is combined with 1 nvidia.com/gpu; KAI's admission rejects a pod that asks for both.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenAnotherSchedulersPodHasAnOddGpuFraction_KAIsAdmissionDoesNotJudgeIt()
    {
        var set = ManifestLoader.LoadText(Pod("p", annotations: "gpu-fraction: '0'", scheduler: "default-scheduler"), "p.yaml");

        Assert.Single(set.Objects);
        var note = Assert.Single(set.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Info, note.Severity);
        Assert.StartsWith("the pod has the annotation gpu-fraction but spec.schedulerName is \"default-scheduler\", so KAI does not schedule it", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenGpuFractionIsValid_LoadsThePod()
    {
        var set = ManifestLoader.LoadText(Pod("p", annotations: "{gpu-fraction: '0.25', gpu-fraction-num-devices: '2'}"), "p.yaml");

        Assert.Single(set.Objects);
        Assert.Empty(set.Diagnostics);
    }

    [Theory]
    [InlineData("Pod", "Trainer", "metadata.name \"Trainer\" is not a valid Pod name: it has uppercase letters; use only lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"trainer\"")]
    [InlineData("Pod", "train_0", "metadata.name \"train_0\" is not a valid Pod name: it has the character '_'; use only lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"train-0\"")]
    [InlineData("Pod", "-train", "metadata.name \"-train\" is not a valid Pod name: it must start and end each dot-separated part with a letter or digit; use only lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"train\"")]
    [InlineData("Node", "node..a", "metadata.name \"node..a\" is not a valid Node name: it must start and end each dot-separated part with a letter or digit; use only lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. \"node..a\"")]
    public void LoadText_WhenNameIsNotADns1123Subdomain_RejectsTheObjectAtTheName(string kind, string name, string message)
    {
        var text = kind == "Pod" ? Pod(name) : $"apiVersion: v1\nkind: Node\nmetadata:\n  name: \"{name}\"\n";

        var set = ManifestLoader.LoadText(text, "f.yaml");

        Assert.Empty(set.Objects);
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((4, message), (error.Location.Line!.Value, error.Message));
    }

    [Fact]
    public void LoadText_WhenNameIsLongerThan253Characters_SaysHowLong()
    {
        var set = ManifestLoader.LoadText(Pod(new string('a', 254)), "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.EndsWith("is not a valid Pod name: it is 254 characters long; at most 253 are allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadText_WhenNamespaceIsNotADnsLabel_RejectsTheObject()
    {
        var set = ManifestLoader.LoadText(Pod("p", ns: "team.a"), "f.yaml");

        var error = Assert.Single(set.Diagnostics);
        Assert.Equal("Pod team.a/p", error.ObjectRef);
        Assert.StartsWith("metadata.namespace \"team.a\" is not a valid namespace name (a DNS-1123 label): it has the character '.'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_WhenAPodNamesAnUnknownPriorityClass_RejectsOnlyThatPod()
    {
        var text = Pod("unknown", priorityClass: "urgent") + "---\n" + Pod("known", priorityClass: "train") + "---\n" + Pod("system", priorityClass: "system-node-critical") +
                   "---\n" + Pod("own", priorityClass: "mine") + "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: mine}\nvalue: 10\n";

        var set = ManifestAdmission.Admit(ManifestLoader.LoadText(text, "f.yaml"), ["train", "inference"]);

        Assert.Equal(["known", "system", "own"], set.OfType<V1Pod>().Select(p => p.Metadata.Name));
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal((DiagnosticSeverity.Error, "Pod default/unknown", 9), (error.Severity, error.ObjectRef, error.Location.Line));
        Assert.Equal(
            "spec.priorityClassName \"urgent\" names no PriorityClass, so the API server rejects the pod (\"no PriorityClass with name urgent was found\"). " +
            "Use one of: inference, mine, system-cluster-critical, system-node-critical, train, or add the PriorityClass",
            error.Message);
    }

    [Fact]
    public void Admit_WhenTwoClassesAreGlobalDefaults_RejectsTheSecond()
    {
        const string text = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: a}\nvalue: 1\nglobalDefault: true\n---\n" +
                            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: b}\nvalue: 2\nglobalDefault: true\n";

        var set = ManifestAdmission.Admit(ManifestLoader.LoadText(text, "f.yaml"), []);

        Assert.Equal(["a"], set.OfType<V1PriorityClass>().Select(c => c.Metadata.Name));
        var error = Assert.Single(set.Diagnostics);
        Assert.Equal("PriorityClass b", error.ObjectRef);
        Assert.StartsWith("globalDefault is true, but PriorityClass a is already the default", error.Message, StringComparison.Ordinal);
    }

    private static string Pod(string name, string annotations = "{}", string resources = "{}", string scheduler = "kai-scheduler", string ns = "default", string? priorityClass = null) =>
        $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: "{name}"
          namespace: "{ns}"
          annotations: {(annotations.StartsWith('{') ? annotations : "{" + annotations + "}")}
        spec:
          schedulerName: {scheduler}
          {(priorityClass is null ? string.Empty : $"priorityClassName: {priorityClass}")}
          containers:
          - name: main
            resources:
              {resources.Replace("\n        ", "\n      ")}

        """;
}
