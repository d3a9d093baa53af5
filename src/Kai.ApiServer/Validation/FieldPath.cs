using System.Globalization;
using System.Text;

namespace Kai.ApiServer.Validation;

/// <summary>
/// The path of the field a schema walk is at (<c>spec.containers[0].name</c>), kept as a stack of segments and
/// turned into text only when a warning or an error names it: a walk over a well-formed body builds no path text.
/// </summary>
internal sealed class FieldPath
{
    private readonly List<(string? Name, int Index)> _segments = [];

    /// <summary>Enters the field <paramref name="name"/>.</summary>
    public FieldPath Push(string name)
    {
        _segments.Add((name, -1));
        return this;
    }

    /// <summary>Enters the list item <paramref name="index"/>.</summary>
    public FieldPath Push(int index)
    {
        _segments.Add((null, index));
        return this;
    }

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    /// <summary>The path as the API server writes it, and with <paramref name="name"/> appended when given.</summary>
    public string Text(string? name = null)
    {
        var text = new StringBuilder();
        foreach (var (segment, index) in _segments)
        {
            Append(text, segment, index);
        }

        if (name is not null)
        {
            Append(text, name, -1);
        }

        return text.ToString();
    }

    public override string ToString() => Text();

    private static void Append(StringBuilder text, string? name, int index)
    {
        if (name is null)
        {
            text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            return;
        }

        if (text.Length > 0)
        {
            text.Append('.');
        }

        text.Append(name);
    }
}
