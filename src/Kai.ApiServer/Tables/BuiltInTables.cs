using System.Globalization;
using k8s;
using k8s.Models;

namespace Kai.ApiServer.Tables;

/// <summary>The printers of the smaller built-in kinds, with the API server's column names.</summary>
internal static class BuiltInTables
{
    public static ITablePrinter Namespaces { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("Status", "string", "The status of the namespace"), (o, _) => ((V1Namespace)o).Status?.Phase ?? "Active"),
        (TableColumn.AgeColumn, Age),
    ]);

    public static ITablePrinter ConfigMaps { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("Data", "integer", "Data contains the configuration data."), (o, _) => ((V1ConfigMap)o).Data?.Count ?? 0),
        (TableColumn.AgeColumn, Age),
    ]);

    public static ITablePrinter PriorityClasses { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("Value", "integer", "value represents the integer value of this priority class."), (o, _) => ((V1PriorityClass)o).Value),
        (new TableColumn("Global-Default", "boolean", "globalDefault specifies whether this PriorityClass should be considered as the default priority."), (o, _) => ((V1PriorityClass)o).GlobalDefault ?? false),
        (TableColumn.AgeColumn, Age),
        (new TableColumn("PreemptionPolicy", "string", "preemptionPolicy is the Policy for preempting pods with lower priority.", 1), (o, _) => ((V1PriorityClass)o).PreemptionPolicy ?? "PreemptLowerPriority"),
    ]);

    public static ITablePrinter Leases { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("Holder", "string", "holderIdentity contains the identity of the holder of a current lease."), (o, _) => ((V1Lease)o).Spec?.HolderIdentity ?? string.Empty),
        (TableColumn.AgeColumn, Age),
    ]);

    /// <summary>Name and age, for the DRA kinds (device classes, resource slices, claim templates).</summary>
    public static ITablePrinter NameAndAge { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (TableColumn.AgeColumn, Age),
    ]);

    public static ITablePrinter ResourceClaims { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("State", "string", "Whether the claim is allocated and reserved for pods."), (o, _) => ClaimState((Resourcev1ResourceClaim)o)),
        (TableColumn.AgeColumn, Age),
    ]);

    private static string ClaimState(Resourcev1ResourceClaim claim) =>
        claim.Status?.Allocation is null ? "pending" : claim.Status.ReservedFor is { Count: > 0 } ? "allocated,reserved" : "allocated";

    public static ITablePrinter PodDisruptionBudgets { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("Min Available", "string", "The minimum number of pods that must be available simultaneously."), (o, _) => IntOrNa(((V1PodDisruptionBudget)o).Spec?.MinAvailable)),
        (new TableColumn("Max Unavailable", "string", "The maximum number of pods that may be unavailable simultaneously."), (o, _) => IntOrNa(((V1PodDisruptionBudget)o).Spec?.MaxUnavailable)),
        (new TableColumn("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."), (o, _) => ((V1PodDisruptionBudget)o).Status?.DisruptionsAllowed ?? 0),
        (TableColumn.AgeColumn, Age),
    ]);

    public static ITablePrinter CustomResourceDefinitions { get; } = new ColumnsTable(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (new TableColumn("Created At", "date", "The time the definition was created.", 0), (o, _) => Timestamp(o.Metadata.CreationTimestamp)),
    ]);

    public static ITablePrinter Events { get; } = new ColumnsTable(
    [
        (new TableColumn("Last Seen", "string", "Time when this event was last seen."), (o, now) => HumanDuration.Since(LastSeen((Corev1Event)o), now)),
        (new TableColumn("Type", "string", "Type of this event (Normal, Warning)."), (o, _) => ((Corev1Event)o).Type),
        (new TableColumn("Reason", "string", "Why the action was taken."), (o, _) => ((Corev1Event)o).Reason),
        (new TableColumn("Object", "string", "The object that this event is about."), (o, _) => ObjectOf((Corev1Event)o)),
        (new TableColumn("Subobject", "string", "The subobject (e.g. a container) that this event is about.", 1), (o, _) => ((Corev1Event)o).InvolvedObject?.FieldPath ?? string.Empty),
        (new TableColumn("Source", "string", "The component reporting this event.", 1), (o, _) => SourceOf((Corev1Event)o)),
        (new TableColumn("Message", "string", "A human-readable description of the status of this operation."), (o, _) => ((Corev1Event)o).Message),
        (new TableColumn("First Seen", "string", "The time at which the event was first recorded.", 1), (o, now) => HumanDuration.Since(((Corev1Event)o).FirstTimestamp ?? ((Corev1Event)o).EventTime, now)),
        (new TableColumn("Count", "string", "The number of times this event has occurred.", 1), (o, _) => (((Corev1Event)o).Count ?? 1).ToString(CultureInfo.InvariantCulture)),
        (new TableColumn("Name", "string", "The name of the event.", 1, "name"), (o, _) => o.Metadata.Name),
    ]);

    private static string Age(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now) => HumanDuration.Since(obj.Metadata.CreationTimestamp, now);

    private static string IntOrNa(IntOrString? value) => value?.Value ?? "N/A";

    private static string? Timestamp(DateTime? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTime? LastSeen(Corev1Event e) => e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp;

    private static string ObjectOf(Corev1Event e) =>
        $"{e.InvolvedObject?.Kind?.ToLowerInvariant()}/{e.InvolvedObject?.Name}";

    private static string SourceOf(Corev1Event e)
    {
        var component = e.Source?.Component ?? e.ReportingComponent ?? string.Empty;
        return string.IsNullOrEmpty(e.Source?.Host) ? component : $"{component}, {e.Source.Host}";
    }
}
