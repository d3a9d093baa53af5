using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Kai.Cli.Commands;

/// <summary>
/// Numeric options that parse and range-check their own value, so that "--cycles abc", "1.5" or "99999999999" is a
/// command-line error naming the option and the allowed range (exit 2), never an exception.
/// </summary>
internal static class NumberOptions
{
    /// <summary>A whole-number option from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max = int.MaxValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseWholeNumber(result, name, min, max) ?? defaultValue,
        };

    /// <summary>A decimal option from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<double> Number(string name, string description, double defaultValue, double min, double max) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseNumber(result, name, min, max) ?? defaultValue,
        };

    private static int? ParseWholeNumber(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        var range = max == int.MaxValue ? $"{min} or more" : $"from {min} to {max}";
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            var kind = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "not a whole number" : "not a number";
            result.AddError($"{name} '{text}' is {kind}; give a whole number {range}, e.g. {name} {Math.Max(min, 1)}.");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError($"{name} {text} is out of range; give a whole number {range}.");
            return null;
        }

        return (int)value;
    }

    private static double? ParseNumber(ArgumentResult result, string name, double min, double max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        var range = $"from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            result.AddError($"{name} '{text}' is not a number; give a number {range}, e.g. {name} 0.5.");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError($"{name} {text} is out of range; give a number {range}.");
            return null;
        }

        return value;
    }
}
