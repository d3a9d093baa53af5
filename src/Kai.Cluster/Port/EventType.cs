namespace Kai.Cluster.Port;

/// <summary>Kubernetes event types (<c>Corev1Event.type</c>).</summary>
public enum EventType
{
    Normal,
    Warning,
}
