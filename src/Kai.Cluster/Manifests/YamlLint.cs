namespace Kai.Cluster.Manifests;

/// <summary>
/// Finds the usual cause of a YAML document that failed to parse, with its line and column, where YamlDotNet gives a
/// wrong position (a tab used as indentation is reported at the start of the mapping) or none at all (an unclosed
/// '{' or '[' ends in an internal error). Run only after a parse has failed, so its heuristics cannot flag valid YAML.
/// </summary>
internal static class YamlLint
{
    /// <summary>A problem at a 1-based line and column of the document's text.</summary>
    public readonly record struct Finding(int Line, int Column, string Message);

    public static Finding? FindProblem(string text)
    {
        var lines = text.Split('\n');
        return FindTabIndentation(lines) ?? new FlowScanner().Scan(lines);
    }

    private static Finding? FindTabIndentation(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var indentEnd = 0;
            while (indentEnd < line.Length && line[indentEnd] is ' ' or '\t')
            {
                indentEnd++;
            }

            var tab = line.IndexOf('\t', 0, indentEnd);
            if (tab >= 0 && indentEnd < line.Length && line[indentEnd] != '#')
            {
                return new Finding(i + 1, tab + 1, "a tab is used for indentation; YAML indents with spaces only");
            }
        }

        return null;
    }

    /// <summary>
    /// Tracks flow collections and quoted scalars across lines. In block context a plain scalar may hold brackets
    /// literally, so an opener counts only where a value starts (line start, after "key: ", "- " or "? ").
    /// </summary>
    private sealed class FlowScanner
    {
        private readonly Stack<(char Opener, int Line, int Column)> _open = new();
        private (char Quote, int Line, int Column)? _quote;

        public Finding? Scan(string[] lines)
        {
            for (var l = 0; l < lines.Length; l++)
            {
                if (ScanLine(lines[l].TrimEnd('\r'), l + 1) is { } mismatch)
                {
                    return mismatch;
                }
            }

            if (_quote is { } unclosed)
            {
                var which = unclosed.Quote == '"' ? "double" : "single";
                return new Finding(unclosed.Line, unclosed.Column, $"this {which} quote is never closed; end the string with {unclosed.Quote}");
            }

            if (_open.TryPop(out var open))
            {
                var end = open.Opener == '{' ? "mapping with '}'" : "list with ']'";
                return new Finding(open.Line, open.Column, $"this '{open.Opener}' is never closed; end the {end} before the document ends");
            }

            return null;
        }

        private Finding? ScanLine(string line, int lineNumber)
        {
            var valueStart = true;
            for (var c = 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (_quote is not null)
                {
                    c = SkipQuoted(line, c);
                    valueStart = false;
                    continue;
                }

                if (ch == '#' && (c == 0 || char.IsWhiteSpace(line[c - 1])))
                {
                    break;
                }

                if (char.IsWhiteSpace(ch))
                {
                    continue;
                }

                var inFlow = _open.Count > 0;
                if (!inFlow && !valueStart && ch is not (':' or '-' or '?'))
                {
                    continue;
                }

                if (ch is '"' or '\'' && (c == 0 || line[c - 1] is ' ' or '[' or '{' or ',' or ':'))
                {
                    _quote = (ch, lineNumber, c + 1);
                }
                else if (ch is '[' or '{')
                {
                    _open.Push((ch, lineNumber, c + 1));
                }
                else if (inFlow && ch is ']' or '}' && Close(ch, lineNumber, c + 1) is { } mismatch)
                {
                    return mismatch;
                }

                // A key's colon or a list's dash starts a new value.
                valueStart = !inFlow && ch is ':' or '-' or '?' && (c + 1 == line.Length || line[c + 1] == ' ');
            }

            return null;
        }

        // Advances through a quoted scalar from index c; returns the index of its closing quote, or the line's end.
        private int SkipQuoted(string line, int c)
        {
            var quote = _quote!.Value.Quote;
            for (; c < line.Length; c++)
            {
                if (quote == '"' && line[c] == '\\')
                {
                    c++;
                }
                else if (line[c] == quote && quote == '\'' && c + 1 < line.Length && line[c + 1] == '\'')
                {
                    c++;
                }
                else if (line[c] == quote)
                {
                    _quote = null;
                    return c;
                }
            }

            return c;
        }

        private Finding? Close(char closer, int line, int column)
        {
            var (opener, openLine, openColumn) = _open.Pop();
            var expected = opener == '[' ? ']' : '}';
            return closer == expected
                ? null
                : new Finding(line, column, $"'{closer}' does not close the '{opener}' opened at line {openLine}, column {openColumn}; close it with '{expected}'");
        }
    }
}
