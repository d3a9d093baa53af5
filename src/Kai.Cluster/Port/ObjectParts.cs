using System.Collections.Concurrent;
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

    public static ObjectParts ForType(Type type) => ByType.GetOrAdd(type, static t => new PropertyParts(
        t.GetProperty("Spec", BindingFlags.Public | BindingFlags.Instance),
        t.GetProperty("Status", BindingFlags.Public | BindingFlags.Instance)));

    public static ObjectParts Generic { get; } = new GenericParts();

    private static readonly ConcurrentDictionary<Type, ObjectParts> ByType = new();

    // Accessors are typed delegates bound once per C# type (shared by every registry): writes read spec and status
    // on every replace, and reflection (PropertyInfo.GetValue) would cost several times more on that path.
    private sealed class PropertyParts(PropertyInfo? spec, PropertyInfo? status) : ObjectParts
    {
        private readonly Func<object, object?>? _getSpec = Getter(spec);
        private readonly Func<object, object?>? _getStatus = Getter(status);
        private readonly Action<object, object?>? _setStatus = Setter(status);

        public override bool HasSpec => _getSpec is not null;

        public override bool HasStatus => _getStatus is not null;

        public override object? GetSpec(object obj) => _getSpec?.Invoke(obj);

        public override object? GetStatus(object obj) => _getStatus?.Invoke(obj);

        public override void SetStatus(object privateCopy, object? value) => _setStatus?.Invoke(privateCopy, value);

        public override bool SpecEquals(object? before, object? after)
        {
            if (ReferenceEquals(before, after) || Equals(before, after))
            {
                return true;
            }

            return before is not null && after is not null && KubernetesJson.Serialize(before) == KubernetesJson.Serialize(after);
        }

        private static Func<object, object?>? Getter(PropertyInfo? property) =>
            property?.GetMethod is { } getter
                ? (Func<object, object?>)BindGetterMethod.MakeGenericMethod(property.DeclaringType!, property.PropertyType).Invoke(null, [getter])!
                : null;

        private static Action<object, object?>? Setter(PropertyInfo? property) =>
            property?.SetMethod is { } setter
                ? (Action<object, object?>)BindSetterMethod.MakeGenericMethod(property.DeclaringType!, property.PropertyType).Invoke(null, [setter])!
                : null;

        private static readonly MethodInfo BindGetterMethod = typeof(PropertyParts).GetMethod(nameof(BindGetter), BindingFlags.NonPublic | BindingFlags.Static)!;

        private static readonly MethodInfo BindSetterMethod = typeof(PropertyParts).GetMethod(nameof(BindSetter), BindingFlags.NonPublic | BindingFlags.Static)!;

        private static Func<object, object?> BindGetter<TTarget, TValue>(MethodInfo getter)
        {
            var typed = getter.CreateDelegate<Func<TTarget, TValue>>();
            return obj => typed((TTarget)obj);
        }

        private static Action<object, object?> BindSetter<TTarget, TValue>(MethodInfo setter)
        {
            var typed = setter.CreateDelegate<Action<TTarget, TValue>>();
            return (obj, value) => typed((TTarget)obj, (TValue)value!);
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
