using System.Reflection;
using System.Text.Json;
using k8s;

namespace Kai.Cluster.Port;

/// <summary>
/// How a store reaches an object's spec and status: through C# properties for typed kinds, through the field
/// map for <see cref="GenericObject"/> kinds.
/// </summary>
internal abstract class ObjectParts
{
    public abstract bool HasSpec { get; }

    public abstract bool HasStatus { get; }

    public abstract object? GetSpec(object obj);

    public abstract object? GetStatus(object obj);

    /// <summary>Sets the status of <paramref name="privateCopy"/>, a shallow copy only the caller holds.</summary>
    public abstract void SetStatus(object privateCopy, object? status);

    /// <summary>True when two spec values are equal; typed specs compare by JSON form when not equal by reference or value.</summary>
    public abstract bool SpecEquals(object? before, object? after);

    public static ObjectParts ForType(Type type) => new PropertyParts(
        type.GetProperty("Spec", BindingFlags.Public | BindingFlags.Instance),
        type.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance));

    public static ObjectParts Generic { get; } = new GenericParts();

    private sealed class PropertyParts(PropertyInfo? spec, PropertyInfo? status) : ObjectParts
    {
        public override bool HasSpec => spec is not null;

        public override bool HasStatus => status is not null;

        public override object? GetSpec(object obj) => spec?.GetValue(obj);

        public override object? GetStatus(object obj) => status?.GetValue(obj);

        public override void SetStatus(object privateCopy, object? value) => status?.SetValue(privateCopy, value);

        // Same instance or value-equal record: unchanged (the common, cheap case); otherwise compare the JSON forms,
        // paid only by writers that supply a new spec instance.
        public override bool SpecEquals(object? before, object? after)
        {
            if (ReferenceEquals(before, after) || Equals(before, after))
            {
                return true;
            }

            return before is not null && after is not null && KubernetesJson.Serialize(before) == KubernetesJson.Serialize(after);
        }
    }

    private sealed class GenericParts : ObjectParts
    {
        public override bool HasSpec => true;

        public override bool HasStatus => true;

        public override object? GetSpec(object obj) => ((GenericObject)obj).Field("spec");

        public override object? GetStatus(object obj) => ((GenericObject)obj).Field("status");

        public override void SetStatus(object privateCopy, object? status)
        {
            var generic = (GenericObject)privateCopy;
            var fields = new Dictionary<string, JsonElement>(generic.Fields, StringComparer.Ordinal);
            if (status is JsonElement value)
            {
                fields["status"] = value;
            }
            else
            {
                fields.Remove("status");
            }

            generic.Fields = fields;
        }

        public override bool SpecEquals(object? before, object? after) =>
            (before, after) switch
            {
                (null, null) => true,
                (JsonElement a, JsonElement b) => JsonElement.DeepEquals(a, b),
                _ => false,
            };
    }
}
