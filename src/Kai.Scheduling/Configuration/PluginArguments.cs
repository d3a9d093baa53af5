using System.Collections;

namespace Kai.Scheduling.Configuration;

/// <summary>
/// A plugin's arguments as written, before any plugin reads them: keys and text values in file order, each with
/// where it was written. The configuration reader produces these once, at the edge; each plugin binds its own
/// options from them (see <see cref="PluginBinding"/>), so a plugin's arguments are known only to its folder.
/// </summary>
public sealed class PluginArguments : IReadOnlyList<PluginArgument>
{
    private readonly PluginArgument[] _items;

    public PluginArguments(IEnumerable<PluginArgument> items, ArgumentSyntax? syntax = null)
    {
        _items = [.. items];
        Syntax = syntax ?? ArgumentSyntax.Invariant;
    }

    public static PluginArguments Empty { get; } = new([]);

    /// <summary>How the text values are written (durations differ between configuration formats).</summary>
    public ArgumentSyntax Syntax { get; }

    public int Count => _items.Length;

    public PluginArgument this[int index] => _items[index];

    public IEnumerator<PluginArgument> GetEnumerator() => ((IEnumerable<PluginArgument>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Arguments from key/value pairs, without a source (for hosts that configure in code).</summary>
    public static PluginArguments Of(params (string Key, string Value)[] pairs) =>
        new(pairs.Select(p => new PluginArgument(p.Key, p.Value, null)));
}

/// <summary>One argument as written.</summary>
/// <param name="Key">The argument's name.</param>
/// <param name="Value">Its text, or null when it was left empty.</param>
/// <param name="Source">Where it was written (e.g. <c>scheduler.yaml:7</c>), for messages; null when configured in code.</param>
public sealed record PluginArgument(string Key, string? Value, string? Source);
