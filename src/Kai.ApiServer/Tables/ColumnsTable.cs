using k8s;
using k8s.Models;

namespace Kai.ApiServer.Tables;

/// <summary>A table whose columns are each a function of the object: the small built-in printers.</summary>
internal sealed class ColumnsTable(IReadOnlyList<(TableColumn Column, Func<IKubernetesObject<V1ObjectMeta>, DateTimeOffset, object?> Cell)> columns) : ITablePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } = [.. columns.Select(c => c.Column)];

    public object?[] Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now) => [.. columns.Select(c => c.Cell(obj, now))];

    /// <summary>Name and Age: the table of a resource without a printer of its own.</summary>
    public static ColumnsTable Default { get; } = new(
    [
        (TableColumn.NameColumn, (o, _) => o.Metadata.Name),
        (TableColumn.AgeColumn, (o, now) => HumanDuration.Since(o.Metadata.CreationTimestamp, now)),
    ]);
}
