using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Kai.Cli.Logging;

/// <summary><c>--log-level</c>: how much the scheduler logs to stderr (trace, debug, information, warning, error, none).</summary>
internal static class LogLevelOption
{
    private static readonly Dictionary<string, LogLevel> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["information"] = LogLevel.Information,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
        ["none"] = LogLevel.None,
    };

    /// <param name="defaultLevel">What the command logs without the option.</param>
    /// <param name="why">Why that default, for the help text.</param>
    public static Option<string> Create(string defaultLevel, string why)
    {
        var option = new Option<string>("--log-level")
        {
            Description = $"Log to stderr from this level up: trace, debug, information, warning, error or none (default: {defaultLevel}; {why}).",
            DefaultValueFactory = _ => defaultLevel,
        };
        option.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!Levels.ContainsKey(value))
            {
                r.AddError($"--log-level '{value}' is not a level; write trace, debug, information, warning, error or none.");
            }
        });
        return option;
    }

    /// <summary>The level of a value the option's validator accepted.</summary>
    public static LogLevel Parse(string value) => Levels[value];
}
