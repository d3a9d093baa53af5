using System.Diagnostics.CodeAnalysis;

namespace Kai.Scheduling.Model;

/// <summary>
/// The one place where a namespaced object's identity is written as text (<c>namespace/name</c>, as kubectl and
/// KAI write it) and read back. <see cref="PodKey"/> and <see cref="PodGroupKey"/> format and parse through it.
/// </summary>
public static class NamespacedName
{
    public const char Separator = '/';

    public static string Format(string @namespace, string name) => string.Concat(@namespace, "/", name);

    /// <summary>
    /// Writes what <see cref="Format"/> returns into <paramref name="destination"/>: a key interpolated into a longer text
    /// (an event's message, a reason) needs no string of its own. False, nothing written, when it does not fit.
    /// </summary>
    public static bool TryFormat(string @namespace, string name, Span<char> destination, out int charsWritten)
    {
        var length = @namespace.Length + 1 + name.Length;
        if (destination.Length < length)
        {
            charsWritten = 0;
            return false;
        }

        @namespace.AsSpan().CopyTo(destination);
        destination[@namespace.Length] = Separator;
        name.AsSpan().CopyTo(destination[(@namespace.Length + 1)..]);
        charsWritten = length;
        return true;
    }

    /// <summary>Orders two identities as their texts compare ordinally, without writing the texts.</summary>
    public static int CompareOrdinal(string leftNamespace, string leftName, string rightNamespace, string rightName)
    {
        var leftLength = leftNamespace.Length + 1 + leftName.Length;
        var rightLength = rightNamespace.Length + 1 + rightName.Length;
        var common = Math.Min(leftLength, rightLength);
        for (var i = 0; i < common; i++)
        {
            var l = CharAt(leftNamespace, leftName, i);
            var r = CharAt(rightNamespace, rightName, i);
            if (l != r)
            {
                return l.CompareTo(r);
            }
        }

        return leftLength.CompareTo(rightLength);
    }

    /// <summary>Reads <c>namespace/name</c>; both parts must be non-empty and the name has no further separator.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out string? @namespace, [NotNullWhen(true)] out string? name)
    {
        @namespace = name = null;
        var at = text?.IndexOf(Separator, StringComparison.Ordinal) ?? -1;
        if (at <= 0 || at == text!.Length - 1 || text.IndexOf(Separator, at + 1) >= 0)
        {
            return false;
        }

        @namespace = text[..at];
        name = text[(at + 1)..];
        return true;
    }

    private static char CharAt(string @namespace, string name, int index) =>
        index < @namespace.Length ? @namespace[index] : index == @namespace.Length ? Separator : name[index - @namespace.Length - 1];
}
