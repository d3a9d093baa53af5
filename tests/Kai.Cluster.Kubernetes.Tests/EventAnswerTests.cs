using k8s;
using k8s.Models;
using Kai.Cluster.Kubernetes.Tests.Harness;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// A created event is read back from the answer's metadata only and put on the event as drafted: the proof that the
/// event handed to the caller is the one the API server stored, field for field, and the same as reading the whole
/// answer gives.
/// </summary>
public sealed class EventAnswerTests
{
    private static readonly string[] Kinds = ["Pod", "PodGroup", "Queue", "BindRequest", "Node"];
    private static readonly string[] Reasons = ["Scheduled", "Bound", "Unschedulable", "Evict", "NotReady"];
    private static readonly string[] Words = ["0/3", "nodes", "are", "available:", "\"quoted\"", "ünïcode", "gpu", "\\back", "<tag>", "1 Insufficient"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task RecordEventAsync_ReadingOnlyTheAnswersMetadata_ReturnsTheStoredEventAsTheWholeAnswerDoes(int seed)
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load(), TimeProvider.System);
        var ct = LiveApi.Timeout();
        var random = new Random(seed);
        for (var i = 0; i < 40; i++)
        {
            // Each record starts its own series (the name is unique), so each one is a create.
            var record = RandomRecord(random, i);
            api.Cluster.ReadsWholeEventAnswers = random.Next(2) == 0;
            var returned = await api.Cluster.RecordEventAsync(record, ct);

            var stored = (Corev1Event)api.Server.Cluster.Get(api.Server.Cluster.Kinds.Get<Corev1Event>(), returned.Metadata.NamespaceProperty, returned.Metadata.Name)!;
            Assert.Equal(KubernetesJson.Serialize(stored), KubernetesJson.Serialize(returned));
        }
    }

    private static EventRecord RandomRecord(Random random, int i)
    {
        var kind = Kinds[random.Next(Kinds.Length)];
        var involved = new V1ObjectReference
        {
            ApiVersion = kind is "Pod" or "Node" ? "v1" : "scheduling.run.ai/v2alpha2",
            Kind = kind,
            Name = $"{kind.ToLowerInvariant()}-{i}",
            NamespaceProperty = kind is "Node" or "Queue" || random.Next(4) == 0 ? null : random.Next(2) == 0 ? "default" : "kube-system",
            Uid = random.Next(2) == 0 ? Guid.NewGuid().ToString() : null,
            ResourceVersion = random.Next(2) == 0 ? random.Next(1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        var message = string.Join(' ', Enumerable.Range(0, random.Next(1, 8)).Select(_ => Words[random.Next(Words.Length)]));
        var component = random.Next(3) == 0 ? string.Empty : random.Next(2) == 0 ? "kai-scheduler" : "binder";
        return new EventRecord(involved, random.Next(2) == 0 ? EventType.Normal : EventType.Warning, Reasons[random.Next(Reasons.Length)], message, component);
    }
}
