namespace Kai.ApiServer.Tables;

/// <summary>
/// A column of a server-side table (<c>meta.k8s.io/v1 TableColumnDefinition</c>). Priority 0 columns are shown by
/// default, higher priorities only with <c>-o wide</c>.
/// </summary>
internal sealed record TableColumn(string Name, string Type, string Description, int Priority = 0, string Format = "")
{
    public static TableColumn NameColumn { get; } =
        new("Name", "string", "Name must be unique within a namespace.", 0, "name");

    public static TableColumn AgeColumn { get; } =
        new("Age", "string", "CreationTimestamp is a timestamp representing the server time when this object was created.");
}
