using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// Reads and writes <see cref="ResourceQuantity"/> as KubernetesClient's own converter does, without its cost per
/// value: a cluster has a few dozen distinct quantities ("1", "8", "4Gi") in millions of fields, and the library parses
/// each into a fraction and formats it back with big-number arithmetic every time. Here a quantity string is parsed
/// once and its instance shared (a quantity cannot be changed once made), and a value's text in its format is formatted
/// once. Anything else (a number token, a long or rare string once the
/// table is full) goes to the library's converter.
/// </summary>
public sealed class CachedQuantityConverter : JsonConverter<ResourceQuantity>
{
    private const int Capacity = 4096;
    private const int MaxCachedLength = 64;
    private static readonly ResourceQuantityJsonConverter Library = new();
    private readonly ConcurrentDictionary<string, ResourceQuantity> _parsed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ResourceQuantity, string> _formatted = new(SameText.Instance);

    /// <summary>
    /// Puts the converter in front of the library's in KubernetesJson's options, once, before they are first used
    /// (after that they cannot change, and the library's converter stays: only slower). True when it is in place.
    /// </summary>
    public static bool Install()
    {
        var installed = false;
        KubernetesJson.AddJsonOptions(options =>
        {
            if (options.Converters.Any(c => c is CachedQuantityConverter))
            {
                installed = true;
            }
            else if (!options.IsReadOnly)
            {
                options.Converters.Insert(0, new CachedQuantityConverter());
                installed = true;
            }
        });
        return installed;
    }

    public override ResourceQuantity? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueSpan.Length > MaxCachedLength)
        {
            return Library.Read(ref reader, typeToConvert, options);
        }

        Span<char> chars = stackalloc char[MaxCachedLength];
        var length = reader.CopyString(chars);
        var lookup = _parsed.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        var text = new string(chars[..length]);
        var parsed = new ResourceQuantity(text);
        return _parsed.Count < Capacity ? _parsed.GetOrAdd(text, parsed) : parsed;
    }

    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (!_formatted.TryGetValue(value, out var text))
        {
            text = value.ToString();
            if (_formatted.Count < Capacity)
            {
                _formatted.TryAdd(value, text);
            }
        }

        writer.WriteStringValue(text);
    }

    /// <summary>
    /// Quantities that are written alike: the same value in the same format (the library's equality ignores the
    /// format, and 1Gi and 1073741824 are equal but written differently).
    /// </summary>
    private sealed class SameText : IEqualityComparer<ResourceQuantity>
    {
        public static readonly SameText Instance = new();

        public bool Equals(ResourceQuantity? x, ResourceQuantity? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.Format == y.Format && x.Equals(y));

        public int GetHashCode(ResourceQuantity obj) => HashCode.Combine(obj.GetHashCode(), obj.Format);
    }
}
