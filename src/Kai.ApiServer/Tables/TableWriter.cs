using System.Buffers;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;

namespace Kai.ApiServer.Tables;

/// <summary>
/// Writes <c>meta.k8s.io/v1 Table</c>s: column definitions, then one row of cells per object with the object as
/// <c>includeObject</c> asks (None, Metadata — a PartialObjectMetadata, the default — or Object).
/// </summary>
internal static class TableWriter
{
    public static byte[] Write(
        ServerContext context,
        ApiResource resource,
        IEnumerable<IKubernetesObject<V1ObjectMeta>> objects,
        string resourceVersion,
        string? continueToken,
        string? includeObject)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTable(writer, context, resource, objects, resourceVersion, continueToken, includeObject);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteTable(
        Utf8JsonWriter writer,
        ServerContext context,
        ApiResource resource,
        IEnumerable<IKubernetesObject<V1ObjectMeta>> objects,
        string? resourceVersion,
        string? continueToken,
        string? includeObject)
    {
        var now = context.Time.GetUtcNow();
        var printer = resource.Table;
        writer.WriteStartObject();
        writer.WriteString("kind", "Table");
        writer.WriteString("apiVersion", "meta.k8s.io/v1");
        writer.WriteStartObject("metadata");
        if (resourceVersion is not null)
        {
            writer.WriteString("resourceVersion", resourceVersion);
        }

        if (continueToken is not null)
        {
            writer.WriteString("continue", continueToken);
        }

        writer.WriteEndObject();
        WriteColumns(writer, printer.Columns);
        writer.WriteStartArray("rows");
        foreach (var obj in objects)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("cells");
            foreach (var cell in printer.Cells(obj, now))
            {
                WriteCell(writer, cell);
            }

            writer.WriteEndArray();
            WriteRowObject(writer, context, resource, obj, includeObject);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteColumns(Utf8JsonWriter writer, IEnumerable<TableColumn> columns)
    {
        writer.WriteStartArray("columnDefinitions");
        foreach (var column in columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", column.Type);
            writer.WriteString("format", column.Format);
            writer.WriteString("description", column.Description);
            writer.WriteNumber("priority", column.Priority);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The row's object as <c>includeObject</c> asks: none, the whole object, or (by default) its metadata only.</summary>
    private static void WriteRowObject(Utf8JsonWriter writer, ServerContext context, ApiResource resource, IKubernetesObject<V1ObjectMeta> obj, string? includeObject)
    {
        switch (includeObject)
        {
            case "None":
                break;
            case "Object":
                writer.WritePropertyName("object");
                writer.WriteRawValue(ObjectCodec.Encode(context, resource, obj), skipInputValidation: true);
                break;
            default:
                writer.WritePropertyName("object");
                writer.WriteStartObject();
                writer.WriteString("kind", "PartialObjectMetadata");
                writer.WriteString("apiVersion", "meta.k8s.io/v1");
                writer.WritePropertyName("metadata");
                writer.WriteRawValue(KubeJson.Serialize(obj.Metadata), skipInputValidation: true);
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteCell(Utf8JsonWriter writer, object? cell)
    {
        switch (cell)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case double d:
                writer.WriteNumberValue(d);
                break;
            default:
                writer.WriteStringValue(Convert.ToString(cell, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
