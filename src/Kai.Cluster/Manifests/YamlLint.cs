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
        return FindTabIndentation(lines) ?? FindUnclosedFlow(lines);
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

    // Tracks flow collections and quoted scalars across lines; block-context plain scalars may hold brackets literally,
    // so an opener counts only where a value starts.
    private static Finding? FindUnclosedFlow(string[] lines)
    {
        var open = new Stack<(char Opener, int Line, int Column)>();
        (char Quote, int Line, int Column)? quote = null;
        for (var l = 0; l < lines.Length; l++)
        {
            var line = lines[l].TrimEnd('\r');
            var valueStart = true;
            for (var c = 0; c < line.Length; c++)
            {
                var ch = line[c];
                if (quote is { } q)
                {
                    if (q.Quote == '"' && ch == '\\')
                    {
                        c++;
                    }
                    else if (ch == q.Quote)
                    {
                        if (q.Quote == '\'' && c + 1 < line.Length && line[c + 1] == '\'')
                        {
                            c++;
                        }
                        else
                        {
                            quote = null;
                            valueStart = false;
                        }
                    }

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

                var inFlow = open.Count > 0;
                if ((valueStart || inFlow) && ch is '"' or '\'' && (c == 0 || line[c - 1] is ' ' or '[' or '{' or ',' or ':'))
                {
                    quote = (ch, l + 1, c + 1);
                }
                else if ((valueStart || inFlow) && ch is '[' or '{')
                {
                    open.Push((ch, l + 1, c + 1));
                }
                else if (inFlow && ch is ']' or '}')
                {
                    var (opener, openLine, openColumn) = open.Pop();
                    var expected = opener == '[' ? ']' : '}';
                    if (ch != expected)
                    {
                        return new Finding(l + 1, c + 1, $"'{ch}' does not close the '{opener}' opened at line {openLine}, column {openColumn}; close it with '{expected}'");
                    }
                }
                else if (!inFlow)
                {
                    // A key's colon or a list's dash starts a new value.
                    valueStart = (ch is ':' or '-' or '?') && (c + 1 == line.Length || line[c + 1] == ' ');
                    continue;
                }

                valueStart = false;
            }
        }

        if (quote is { } unclosed)
        {
            return new Finding(unclosed.Line, unclosed.Column, $"this {(unclosed.Quote == '"' ? "double" : "single")} quote is never closed; end the string with {unclosed.Quote}");
        }

        if (open.Count > 0)
        {
            var (opener, line, column) = open.Pop();
            return new Finding(line, column, $"this '{opener}' is never closed; end the {(opener == '{' ? "mapping with '}'" : "list with ']'")} before the document ends");
        }

        return null;
    }
}
