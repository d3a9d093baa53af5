using System.Globalization;
using System.Text;
using Kai.ApiServer.Http;

namespace Kai.ApiServer.Selectors;

/// <summary>
/// A Kubernetes label selector in its string form: requirements joined by commas, all of which must hold —
/// <c>key=value</c>, <c>key==value</c>, <c>key!=value</c>, <c>key in (a,b)</c>, <c>key notin (a,b)</c>,
/// <c>key</c>, <c>!key</c>, <c>key&gt;n</c>, <c>key&lt;n</c>.
/// </summary>
internal sealed class LabelSelector
{
    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Length == 0;

    /// <exception cref="ApiException">400 for a malformed selector.</exception>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var parser = new Parser(text);
        return new LabelSelector([.. parser.ParseAll()]);
    }

    /// <summary>A selector from a structured <c>matchLabels</c>/<c>matchExpressions</c> (PodDisruptionBudget, …).</summary>
    public static LabelSelector FromStructured(k8s.Models.V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            requirements.Add(new Requirement(key, Operator.Equals, [value]));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var op = expression.OperatorProperty switch
            {
                "In" => Operator.In,
                "NotIn" => Operator.NotIn,
                "Exists" => Operator.Exists,
                "DoesNotExist" => Operator.DoesNotExist,
                _ => throw ApiException.Invalid($"\"{expression.OperatorProperty}\" is not a valid label selector operator"),
            };
            requirements.Add(new Requirement(expression.Key, op, [.. expression.Values ?? []]));
        }

        return new LabelSelector([.. requirements]);
    }

    public bool Matches(IDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values)
    {
        public bool Matches(IDictionary<string, string>? labels)
        {
            string? value = null;
            var has = labels is not null && labels.TryGetValue(Key, out value);
            return Op switch
            {
                Operator.Equals or Operator.In => has && Values.Contains(value, StringComparer.Ordinal),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value, StringComparer.Ordinal),
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.GreaterThan => has && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var g) && g > long.Parse(Values[0], CultureInfo.InvariantCulture),
                Operator.LessThan => has && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l < long.Parse(Values[0], CultureInfo.InvariantCulture),
                _ => false,
            };
        }

        public override string ToString() => Op switch
        {
            Operator.Equals => $"{Key}={Values[0]}",
            Operator.NotEquals => $"{Key}!={Values[0]}",
            Operator.In => $"{Key} in ({string.Join(",", Values)})",
            Operator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
            Operator.Exists => Key,
            Operator.DoesNotExist => "!" + Key,
            Operator.GreaterThan => $"{Key}>{Values[0]}",
            _ => $"{Key}<{Values[0]}",
        };
    }

    private sealed class Parser(string text)
    {
        private int _position;

        public List<Requirement> ParseAll()
        {
            var requirements = new List<Requirement>();
            while (true)
            {
                requirements.Add(ParseRequirement());
                SkipSpaces();
                if (_position >= text.Length)
                {
                    return requirements;
                }

                if (text[_position] != ',')
                {
                    throw Error($"expected ',' at position {_position}");
                }

                _position++;
            }
        }

        private Requirement ParseRequirement()
        {
            SkipSpaces();
            if (Peek() == '!')
            {
                _position++;
                var absent = ReadWord();
                return new Requirement(CheckKey(absent), Operator.DoesNotExist, []);
            }

            var key = CheckKey(ReadWord());
            SkipSpaces();
            if (_position >= text.Length || text[_position] == ',')
            {
                return new Requirement(key, Operator.Exists, []);
            }

            if (Accept("==") || Accept("="))
            {
                return new Requirement(key, Operator.Equals, [ReadValue()]);
            }

            if (Accept("!="))
            {
                return new Requirement(key, Operator.NotEquals, [ReadValue()]);
            }

            if (Accept(">") || Accept("<"))
            {
                var op = text[_position - 1] == '>' ? Operator.GreaterThan : Operator.LessThan;
                var number = ReadValue();
                if (!long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    throw Error($"for 'Gt', 'Lt' operators, the value must be an integer, got \"{number}\"");
                }

                return new Requirement(key, op, [number]);
            }

            var word = ReadWord();
            var setOp = word switch
            {
                "in" => Operator.In,
                "notin" => Operator.NotIn,
                _ => throw Error($"unknown operator \"{word}\" after \"{key}\"; use =, ==, !=, in, notin, >, <"),
            };
            var values = ReadValueSet(word);
            if (values.Count == 0)
            {
                throw Error($"for 'in', 'notin' operators, values set can't be empty (key \"{key}\")");
            }

            return new Requirement(key, setOp, [.. values]);
        }

        /// <summary>The values of an <c>in</c> or <c>notin</c> set: "(a, b, c)".</summary>
        private List<string> ReadValueSet(string word)
        {
            SkipSpaces();
            if (!Accept("("))
            {
                throw Error($"expected '(' after '{word}'");
            }

            var values = new List<string>();
            while (true)
            {
                SkipSpaces();
                if (Accept(")"))
                {
                    return values;
                }

                values.Add(ReadWord(allowEmpty: true));
                SkipSpaces();
                if (Accept(")"))
                {
                    return values;
                }

                if (!Accept(","))
                {
                    throw Error("expected ',' or ')' in a set of values");
                }
            }
        }

        private string ReadValue()
        {
            SkipSpaces();
            return ReadWord(allowEmpty: true);
        }

        private string ReadWord(bool allowEmpty = false)
        {
            var builder = new StringBuilder();
            while (_position < text.Length && !IsDelimiter(text[_position]))
            {
                builder.Append(text[_position++]);
            }

            if (builder.Length == 0 && !allowEmpty)
            {
                throw Error($"expected a label key at position {_position}");
            }

            return builder.ToString();
        }

        private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is ',' or '(' or ')' or '=' or '!' or '<' or '>';

        private static string CheckKey(string key) =>
            key.Length is > 0 and <= 317 ? key : throw Error($"invalid label key \"{key}\"");

        private bool Accept(string token)
        {
            if (string.CompareOrdinal(text, _position, token, 0, token.Length) == 0)
            {
                _position += token.Length;
                return true;
            }

            return false;
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private static ApiException Error(string message) => ApiException.BadRequest($"unable to parse requirement: {message}");
    }
}
