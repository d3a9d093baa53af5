using System.Text;

namespace Kai.Cli.Rendering;

/// <summary>
/// A plain-text table that fits a given width without ever breaking a word: names are never split across lines.
/// Columns marked to wrap share the room left by the others, wrapping between words; cells may hold several lines.
/// When even the unwrappable parts do not fit, each row is printed as a block of "header: value" lines instead.
/// </summary>
internal sealed class TextTable(string title, params TextColumn[] columns)
{
    private const string Gap = "  ";
    private const int ReadableWidth = 32;

    private readonly List<string[]> _rows = [];

    public void AddRow(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"A row of {title} needs {columns.Length} cells.", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(TextWriter writer, int width)
    {
        var widths = Layout(width);
        writer.WriteLine(title);
        if (widths is null)
        {
            WriteStacked(writer, width);
            return;
        }

        WriteLine(writer, columns.Select(c => c.Header).ToArray(), widths);
        writer.WriteLine(new string('─', Math.Min(width, widths.Sum() + (Gap.Length * (widths.Length - 1)))));
        foreach (var row in _rows)
        {
            WriteLine(writer, row, widths);
        }

        writer.WriteLine();
    }

    /// <summary>Column widths that fit <paramref name="width"/>, or null when the table cannot fit it.</summary>
    private int[]? Layout(int width)
    {
        var natural = new int[columns.Length];
        var minimum = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var cells = _rows.Select(r => r[c]).Append(columns[c].Header).SelectMany(Lines).ToList();
            natural[c] = cells.Max(l => l.Length);
            minimum[c] = columns[c].Wrap ? cells.SelectMany(Words).DefaultIfEmpty(string.Empty).Max(w => w.Length) : natural[c];
        }

        // Wrapping columns need a readable width too: a reason squeezed to a few words per line reads worse than a block.
        for (var c = 0; c < columns.Length; c++)
        {
            minimum[c] = columns[c].Wrap ? Math.Max(minimum[c], Math.Min(natural[c], ReadableWidth)) : minimum[c];
        }

        var room = width - (Gap.Length * (columns.Length - 1));
        if (minimum.Sum() > room)
        {
            return null;
        }

        // Wrapping columns grow from their minimum towards their natural width, evenly, while room is left.
        var widths = minimum.ToArray();
        var spare = room - widths.Sum();
        while (spare > 0)
        {
            var growing = Enumerable.Range(0, columns.Length).Where(c => widths[c] < natural[c]).ToList();
            if (growing.Count == 0)
            {
                break;
            }

            foreach (var c in growing.Take(spare))
            {
                widths[c]++;
                spare--;
            }
        }

        return widths;
    }

    private void WriteLine(TextWriter writer, string[] cells, int[] widths)
    {
        var wrapped = cells.Select((cell, c) => columns[c].Wrap ? Wrap(cell, widths[c]) : Lines(cell).ToList()).ToList();
        var height = wrapped.Max(l => l.Count);
        for (var line = 0; line < height; line++)
        {
            var builder = new StringBuilder();
            for (var c = 0; c < columns.Length; c++)
            {
                var text = line < wrapped[c].Count ? wrapped[c][line] : string.Empty;
                builder.Append(columns[c].RightAligned ? text.PadLeft(widths[c]) : text.PadRight(widths[c]));
                if (c < columns.Length - 1)
                {
                    builder.Append(Gap);
                }
            }

            writer.WriteLine(builder.ToString().TrimEnd());
        }
    }

    private void WriteStacked(TextWriter writer, int width)
    {
        writer.WriteLine(new string('─', Math.Max(1, Math.Min(width, 40))));
        foreach (var row in _rows)
        {
            // The first cell (the name) on a line of its own; the others indented under it.
            writer.WriteLine(row[0]);
            for (var c = 1; c < columns.Length; c++)
            {
                var prefix = $"    {columns[c].Header}: ";
                var lines = Wrap(row[c], Math.Max(20, width - prefix.Length));
                for (var l = 0; l < lines.Count; l++)
                {
                    writer.WriteLine((l == 0 ? prefix : new string(' ', prefix.Length)) + lines[l]);
                }
            }
        }

        writer.WriteLine();
    }

    /// <summary>Word-wraps each line of a cell to <paramref name="width"/>; a word longer than that gets a line of its own, whole.</summary>
    public static List<string> Wrap(string cell, int width)
    {
        var result = new List<string>();
        foreach (var line in Lines(cell))
        {
            var current = new StringBuilder();
            foreach (var word in Words(line))
            {
                if (current.Length > 0 && current.Length + 1 + word.Length > width)
                {
                    result.Add(current.ToString());
                    current.Clear();
                }

                current.Append(current.Length > 0 ? " " : string.Empty).Append(word);
            }

            result.Add(current.ToString());
        }

        return result;
    }

    private static IEnumerable<string> Lines(string cell) => cell.Split('\n');

    private static IEnumerable<string> Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A column of a <see cref="TextTable"/>: its header, whether its cells may wrap between words, and alignment.</summary>
internal sealed record TextColumn(string Header, bool Wrap = false, bool RightAligned = false);
