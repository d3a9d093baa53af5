namespace Kai.Scheduling.Configuration;

/// <summary>
/// What a plugin's binder works with: its arguments, the scheduler-wide settings, and typed readers that report
/// a value they cannot read as an error naming the argument, where it was written and what would be right.
/// </summary>
public sealed class PluginBinding
{
    private readonly List<ConfigurationMessage> _errors;
    private readonly List<ConfigurationMessage> _warnings;

    internal PluginBinding(string plugin, PluginArguments arguments, SchedulerConfiguration configuration, List<ConfigurationMessage> errors, List<ConfigurationMessage> warnings)
    {
        Plugin = plugin;
        Arguments = arguments;
        Configuration = configuration;
        _errors = errors;
        _warnings = warnings;
    }

    /// <summary>The plugin's configured name.</summary>
    public string Plugin { get; }

    public PluginArguments Arguments { get; }

    /// <summary>The scheduler-wide settings (actions and flags), for plugins whose defaults follow them.</summary>
    public SchedulerConfiguration Configuration { get; }

    /// <summary>How the argument is named in messages: <c>plugin.arguments.key</c>.</summary>
    public string Setting(PluginArgument argument) => $"{Plugin}.arguments.{argument.Key}";

    public void Error(PluginArgument argument, string message) => _errors.Add(new ConfigurationMessage(argument.Source, message));

    public void Warning(PluginArgument argument, string message) => _warnings.Add(new ConfigurationMessage(argument.Source, message));

    /// <summary>Reports an argument the plugin does not take.</summary>
    public void Unknown(PluginArgument argument, IEnumerable<string> known)
    {
        var names = string.Join(", ", known);
        Error(argument, $"{Setting(argument)}: '{argument.Key}' is not an argument of plugin {Plugin}; "
            + (names.Length == 0 ? "it takes none." : $"its arguments are {names} (see docs/configuration.md)."));
    }

    public double? Number(PluginArgument argument)
    {
        if (argument.Value is { } text && Arguments.Syntax.TryParseNumber(text, out var value))
        {
            return value;
        }

        Error(argument, $"{Setting(argument)} must be a number.");
        return null;
    }

    public bool? Boolean(PluginArgument argument)
    {
        if (argument.Value is { } text && Arguments.Syntax.TryParseBoolean(text, out var value))
        {
            return value;
        }

        Error(argument, $"{Setting(argument)} must be true or false.");
        return null;
    }

    public TimeSpan? Duration(PluginArgument argument, bool allowNegative = false)
    {
        if (argument.Value is { } text && Arguments.Syntax.TryParseDuration(text, out var value) && (allowNegative || value >= TimeSpan.Zero))
        {
            return value;
        }

        Error(argument, $"{Setting(argument)} must be a duration such as {Arguments.Syntax.DurationExamples}{(allowNegative ? " (negative = never)" : string.Empty)}.");
        return null;
    }

    /// <summary>One of a fixed set of words (compared without regard to case).</summary>
    public TValue? Choice<TValue>(PluginArgument argument, params (string Text, TValue Value)[] choices)
        where TValue : struct
    {
        foreach (var (text, value) in choices)
        {
            if (string.Equals(argument.Value, text, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        var words = choices.Select(c => c.Text).ToList();
        var list = words.Count == 1 ? words[0] : $"{string.Join(", ", words[..^1])} or {words[^1]}";
        Error(argument, $"{Setting(argument)} must be {list}.");
        return null;
    }
}
