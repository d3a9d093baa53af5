namespace Kai.Scheduling.Configuration;

/// <summary>A plugin's typed options: a record with the plugin's defaults, validated wherever it came from.</summary>
public interface IPluginOptions
{
    /// <summary>Problems that make these options unusable, each naming the argument and what would be right.</summary>
    IEnumerable<string> Validate();
}

/// <summary>The options of a plugin that takes no arguments.</summary>
public sealed record NoOptions : IPluginOptions
{
    public static NoOptions Instance { get; } = new();

    /// <summary>A binder that rejects every argument: the plugin takes none.</summary>
    public static NoOptions Bind(PluginBinding binding)
    {
        foreach (var argument in binding.Arguments)
        {
            binding.Unknown(argument, []);
        }

        return Instance;
    }

    public IEnumerable<string> Validate() => [];
}

/// <summary>Reads a plugin's options from its arguments, reporting what it cannot read through the binding.</summary>
public delegate TOptions PluginBinder<out TOptions>(PluginBinding binding)
    where TOptions : IPluginOptions;
