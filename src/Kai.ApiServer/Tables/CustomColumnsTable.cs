using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;

namespace Kai.ApiServer.Tables;

/// <summary>
/// The table of a custom resource: Name, then the CRD version's <c>additionalPrinterColumns</c> (or Age when it
/// has none). Column paths are the simple JSONPath the API server supports there (<c>.spec.a.b</c>,
/// <c>.status.list[0].x</c>); <c>date</c> columns show an age.
/// </summary>
internal sealed class CustomColumnsTable : ITablePrinter
{
    private readonly (string[] Path, string Type)[] _paths;

    public CustomColumnsTable(IEnumerable<V1CustomResourceColumnDefinition>? definitions)
    {
        var list = definitions?.ToList() ?? [];
        if (list.Count == 0)
        {
            Columns = [TableColumn.NameColumn, TableColumn.AgeColumn];
            _paths = [(["metadata", "creationTimestamp"], "date")];
            return;
        }

        Columns = [TableColumn.NameColumn, .. list.Select(d => new TableColumn(d.Name, d.Type, d.Description ?? string.Empty, d.Priority ?? 0, d.Format ?? string.Empty))];
        _paths = [.. list.Select(d => (Parse(d.JsonPath), d.Type))];
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public object?[] Cells(IKubernetesObject<V1ObjectMeta> obj, DateTimeOffset now)
    {
        var json = KubeJson.ToNode(obj);
        var cells = new object?[_paths.Length + 1];
        cells[0] = obj.Metadata.Name;
        for (var i = 0; i < _paths.Length; i++)
        {
            cells[i + 1] = Cell(Find(json, _paths[i].Path), _paths[i].Type, now);
        }

        return cells;
    }

    /// <summary>".status.items[0].name" → ["status", "items", "0", "name"]; braces ("{.spec.x}") are accepted.</summary>
    internal static string[] Parse(string jsonPath) =>
        jsonPath.Trim().TrimStart('{').TrimEnd('}').Replace("[", ".", StringComparison.Ordinal).Replace("]", string.Empty, StringComparison.Ordinal)
            .Split('.', StringSplitOptions.RemoveEmptyEntries);

    internal static JsonNode? Find(JsonNode? node, string[] path)
    {
        foreach (var step in path)
        {
            node = node switch
            {
                JsonObject obj => obj[step],
                JsonArray array when int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private static object? Cell(JsonNode? value, string type, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        var kind = value.GetValueKind();
        switch (type)
        {
            case "date" when kind == JsonValueKind.String
                && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time):
                return HumanDuration.Format(now - time);
            case "integer" when kind == JsonValueKind.Number:
                return long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer) ? integer : null;
            case "number" when kind == JsonValueKind.Number:
                return double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
            case "boolean" when kind is JsonValueKind.True or JsonValueKind.False:
                return kind == JsonValueKind.True;
        }

        return kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }
}
