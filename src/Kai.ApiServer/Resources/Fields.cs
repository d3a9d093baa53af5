using System.Globalization;
using k8s;
using k8s.Models;

namespace Kai.ApiServer.Resources;

/// <summary>The field selectors of each built-in resource, as the API server supports them.</summary>
internal static class Fields
{
    public static Dictionary<string, FieldAccessor> Metadata(bool namespaced)
    {
        var fields = new Dictionary<string, FieldAccessor>(StringComparer.Ordinal) { ["metadata.name"] = o => o.Metadata.Name };
        if (namespaced)
        {
            fields["metadata.namespace"] = o => o.Metadata.NamespaceProperty;
        }

        return fields;
    }

    public static Dictionary<string, FieldAccessor> Pods()
    {
        var fields = Metadata(namespaced: true);
        fields["spec.nodeName"] = o => Pod(o).Spec?.NodeName;
        fields["spec.restartPolicy"] = o => Pod(o).Spec?.RestartPolicy;
        fields["spec.schedulerName"] = o => Pod(o).Spec?.SchedulerName;
        fields["spec.serviceAccountName"] = o => Pod(o).Spec?.ServiceAccountName;
        fields["spec.hostNetwork"] = o => Bool(Pod(o).Spec?.HostNetwork ?? false);
        fields["status.phase"] = o => Pod(o).Status?.Phase;
        fields["status.podIP"] = o => Pod(o).Status?.PodIP;
        fields["status.nominatedNodeName"] = o => Pod(o).Status?.NominatedNodeName;
        return fields;
    }

    public static Dictionary<string, FieldAccessor> Nodes()
    {
        var fields = Metadata(namespaced: false);
        fields["spec.unschedulable"] = o => Bool(((V1Node)o).Spec?.Unschedulable ?? false);
        return fields;
    }

    public static Dictionary<string, FieldAccessor> Namespaces()
    {
        var fields = Metadata(namespaced: false);
        fields["status.phase"] = o => ((V1Namespace)o).Status?.Phase;
        return fields;
    }

    /// <summary>core/v1 Events: the involved object, reason, source, type.</summary>
    public static Dictionary<string, FieldAccessor> Events()
    {
        var fields = Metadata(namespaced: true);
        foreach (var (name, accessor) in InvolvedObject())
        {
            fields["involvedObject." + name] = accessor;
        }

        fields["reason"] = o => Event(o).Reason;
        fields["reportingComponent"] = o => Event(o).ReportingComponent;
        fields["source"] = o => Event(o).Source?.Component;
        fields["type"] = o => Event(o).Type;
        return fields;
    }

    /// <summary>events.k8s.io/v1 Events: the same fields under that API's names.</summary>
    public static Dictionary<string, FieldAccessor> EventsV1()
    {
        var fields = Metadata(namespaced: true);
        foreach (var (name, accessor) in InvolvedObject())
        {
            fields["regarding." + name] = accessor;
        }

        fields["reason"] = o => Event(o).Reason;
        fields["reportingController"] = o => Event(o).ReportingComponent;
        fields["deprecatedSource"] = o => Event(o).Source?.Component;
        fields["type"] = o => Event(o).Type;
        return fields;
    }

    private static IEnumerable<(string Name, FieldAccessor Accessor)> InvolvedObject() =>
    [
        ("kind", o => Event(o).InvolvedObject?.Kind),
        ("namespace", o => Event(o).InvolvedObject?.NamespaceProperty),
        ("name", o => Event(o).InvolvedObject?.Name),
        ("uid", o => Event(o).InvolvedObject?.Uid),
        ("apiVersion", o => Event(o).InvolvedObject?.ApiVersion),
        ("resourceVersion", o => Event(o).InvolvedObject?.ResourceVersion),
        ("fieldPath", o => Event(o).InvolvedObject?.FieldPath),
    ];

    private static V1Pod Pod(IKubernetesObject<V1ObjectMeta> obj) => (V1Pod)obj;

    private static Corev1Event Event(IKubernetesObject<V1ObjectMeta> obj) => (Corev1Event)obj;

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Formats any JSON scalar the way a field selector compares it.</summary>
    public static string Scalar(object? value) => value switch
    {
        null => string.Empty,
        bool b => Bool(b),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
