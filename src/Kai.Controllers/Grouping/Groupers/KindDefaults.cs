using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Grouping.Groupers;

/// <summary>
/// Per-kind default priority class and preemptibility from the ConfigMap named by
/// <see cref="PodGrouperOptions.DefaultsConfigMapName"/>: key <c>types</c>, a JSON list of
/// <c>{typeName, group, priorityName, preemptibility}</c>. A kind matches as <c>Kind.group</c>, then by kind alone.
/// Without the setting there are no defaults; a missing or unreadable ConfigMap gives none either (as in KAI,
/// the built-in default applies).
/// </summary>
internal sealed class KindDefaults
{
    public static readonly KindDefaults None = new([]);

    private readonly Dictionary<string, Entry> _byGroupKind;

    private KindDefaults(Dictionary<string, Entry> byGroupKind) => _byGroupKind = byGroupKind;

    public Entry? For(KindKey kind)
    {
        var groupKind = kind.Group.Length == 0 ? kind.Kind : $"{kind.Kind}.{kind.Group}";
        return _byGroupKind.TryGetValue(groupKind, out var entry) || _byGroupKind.TryGetValue(kind.Kind, out entry) ? entry : null;
    }

    public static async ValueTask<KindDefaults> ReadAsync(GroupingContext context)
    {
        var options = context.Options;
        if (string.IsNullOrEmpty(options.DefaultsConfigMapName) || string.IsNullOrEmpty(options.DefaultsConfigMapNamespace))
        {
            return None;
        }

        var configMap = await context.Cluster.GetAsync<V1ConfigMap>(options.DefaultsConfigMapNamespace, options.DefaultsConfigMapName, context.CancellationToken).ConfigureAwait(false);
        if (configMap?.Data is not { } data || !data.TryGetValue("types", out var json))
        {
            return None;
        }

        try
        {
            var entries = JsonSerializer.Deserialize<List<Entry>>(json) ?? [];
            var byGroupKind = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var entry in entries.Where(e => !string.IsNullOrEmpty(e.TypeName)))
            {
                byGroupKind[string.IsNullOrEmpty(entry.Group) ? entry.TypeName! : $"{entry.TypeName}.{entry.Group}"] = entry;
            }

            return new KindDefaults(byGroupKind);
        }
        catch (JsonException)
        {
            return None;
        }
    }

    internal sealed record Entry(
        [property: JsonPropertyName("typeName")] string? TypeName,
        [property: JsonPropertyName("group")] string? Group,
        [property: JsonPropertyName("priorityName")] string? PriorityName,
        [property: JsonPropertyName("preemptibility")] string? Preemptibility);
}
