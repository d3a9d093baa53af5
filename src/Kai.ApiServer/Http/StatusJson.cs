using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using k8s.Models;

namespace Kai.ApiServer.Http;

/// <summary>
/// Writes <c>Status</c> bodies field by field, as the API server lays them out. (KubernetesJson cannot write
/// <see cref="V1Status"/>: its converter for that type only reads.)
/// </summary>
internal static class StatusJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(V1Status status)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "Status");
            writer.WriteString("apiVersion", "v1");
            writer.WriteStartObject("metadata");
            writer.WriteEndObject();
            writer.WriteString("status", status.Status);
            WriteIfSet(writer, "message", status.Message);
            WriteIfSet(writer, "reason", status.Reason);
            if (status.Details is { } details)
            {
                writer.WriteStartObject("details");
                WriteIfSet(writer, "name", details.Name);
                WriteIfSet(writer, "group", details.Group);
                WriteIfSet(writer, "kind", details.Kind);
                WriteIfSet(writer, "uid", details.Uid);
                if (details.Causes is { Count: > 0 } causes)
                {
                    writer.WriteStartArray("causes");
                    foreach (var cause in causes)
                    {
                        writer.WriteStartObject();
                        WriteIfSet(writer, "reason", cause.Reason);
                        WriteIfSet(writer, "message", cause.Message);
                        WriteIfSet(writer, "field", cause.Field);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }

                if (details.RetryAfterSeconds is { } retry)
                {
                    writer.WriteNumber("retryAfterSeconds", retry);
                }

                writer.WriteEndObject();
            }

            if (status.Code is { } code)
            {
                writer.WriteNumber("code", code);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
