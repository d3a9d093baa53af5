using k8s;
using k8s.Models;

namespace Kai.ApiServer.Tables;

/// <summary>How one resource's objects become table rows for kubectl's human-readable output.</summary>
internal interface ITablePrinter
{
    IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>One cell per column: strings, integers or null; ages relative to <paramref name="now"/>.</summary>
    object?[] Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now);
}
