using System.Diagnostics.CodeAnalysis;

namespace Kai.Scheduling.Model;

/// <summary>The identity of a pod across the engine and the edge: namespace and name, written <c>namespace/name</c>.</summary>
public readonly record struct PodKey(string Namespace, string Name) : ISpanFormattable
{
    public static PodKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a pod reference; write namespace/name.");

    public static bool TryParse([NotNullWhen(true)] string? text, out PodKey key)
    {
        if (NamespacedName.TryParse(text, out var @namespace, out var name))
        {
            key = new PodKey(@namespace, name);
            return true;
        }

        key = default;
        return false;
    }

    /// <summary>Ordinal order of the <c>namespace/name</c> texts.</summary>
    public static int CompareOrdinal(PodKey left, PodKey right) => NamespacedName.CompareOrdinal(left.Namespace, left.Name, right.Namespace, right.Name);

    public override string ToString() => NamespacedName.Format(Namespace, Name);

    /// <summary>As <see cref="ToString()"/>; there are no formats.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <summary>Writes <c>namespace/name</c> in place (interpolated strings call this instead of <see cref="ToString()"/>).</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        NamespacedName.TryFormat(Namespace, Name, destination, out charsWritten);
}
