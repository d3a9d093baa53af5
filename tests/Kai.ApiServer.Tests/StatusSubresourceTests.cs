using k8s;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.ApiServer.Tests;

public sealed class StatusSubresourceTests
{
    [Fact]
    public async Task Pod_WritesToTheMainResourceIgnoreStatusAndStatusWritesIgnoreSpec()
    {
        await using var server = await TestServer.StartAsync();
        var pod = await server.Client.CoreV1.CreateNamespacedPodAsync(Objects.Pod("p"), "default");

        pod.Status = new V1PodStatus { Phase = "Running" };
        pod.Metadata.Labels = new Dictionary<string, string> { ["a"] = "b" };
        var afterMain = await server.Client.CoreV1.ReplaceNamespacedPodAsync(pod, "p", "default");
        var phaseAfterMain = afterMain.Status.Phase;
        afterMain.Status = new V1PodStatus { Phase = "Running" };
        afterMain.Spec.Containers[0].Image = "changed:1";
        var afterStatus = await server.Client.CoreV1.ReplaceNamespacedPodStatusAsync(afterMain, "p", "default");

        Assert.Equal(("Pending", "b"), (phaseAfterMain, afterMain.Metadata.Labels["a"]));
        Assert.Equal(("Running", "busybox:1.36"), (afterStatus.Status.Phase, afterStatus.Spec.Containers[0].Image));
    }

    [Fact]
    public async Task Queue_StatusSubresourceOfACustomResourceIsIsolatedToo()
    {
        await using var server = await TestServer.StartAsync();
        var queue = new Queue { Metadata = new V1ObjectMeta { Name = "q" }, Spec = new QueueSpec { DisplayName = "first", Resources = new QueueResources() }, Status = new QueueStatus { ChildQueues = ["ignored"] } };
        var created = KubernetesJson.Deserialize<Queue>(((System.Text.Json.JsonElement)await server.Client.CustomObjects.CreateClusterCustomObjectAsync(queue, Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName)).GetRawText());

        var statusAfterCreate = created.Status;
        created.Status = new QueueStatus { ChildQueues = ["child"] };
        created.Spec.DisplayName = "ignored";
        var afterStatus = KubernetesJson.Deserialize<Queue>(((System.Text.Json.JsonElement)await server.Client.CustomObjects.ReplaceClusterCustomObjectStatusAsync(created, Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName, "q")).GetRawText());
        var (nameAfterStatus, childAfterStatus) = (afterStatus.Spec.DisplayName, afterStatus.Status!.ChildQueues![0]);
        afterStatus.Spec.DisplayName = "second";
        afterStatus.Status = null;
        var afterMain = KubernetesJson.Deserialize<Queue>(((System.Text.Json.JsonElement)await server.Client.CustomObjects.ReplaceClusterCustomObjectAsync(afterStatus, Queue.KubeGroup, Queue.KubeApiVersion, Queue.KubePluralName, "q")).GetRawText());

        Assert.Null(statusAfterCreate);
        Assert.Equal(("first", "child"), (nameAfterStatus, childAfterStatus));
        Assert.Equal(("second", "child"), (afterMain.Spec.DisplayName, afterMain.Status!.ChildQueues![0]));
    }
}
