using k8s;
using k8s.Models;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>A test-only custom resource with spec and status, standing in for our CRDs.</summary>
[KubernetesEntity(Group = "test.kai.io", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed record Widget : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "test.kai.io/v1";

    public string Kind { get; set; } = "Widget";

    public V1ObjectMeta Metadata { get; set; } = new();

    public WidgetSpec? Spec { get; set; }

    public WidgetStatus? Status { get; set; }
}

public sealed record WidgetSpec(int Size);

public sealed record WidgetStatus(string Phase);
