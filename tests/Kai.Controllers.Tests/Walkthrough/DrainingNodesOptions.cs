using Kai.Scheduling.Configuration;

namespace Kai.Controllers.Tests.Walkthrough;

/// <summary>The walk-through plugin's arguments, with their defaults, how they are read, and what is valid.</summary>
internal sealed record DrainingNodesOptions : IPluginOptions
{
    /// <summary>Argument <c>label</c>: the node label that marks a draining node (default <c>example.com/draining</c>).</summary>
    public string Label { get; init; } = "example.com/draining";

    public static DrainingNodesOptions Bind(PluginBinding binding)
    {
        var options = new DrainingNodesOptions();
        foreach (var argument in binding.Arguments)
        {
            switch (argument.Key)
            {
                case "label":
                    options = options with { Label = argument.Value ?? string.Empty };
                    break;
                default:
                    binding.Unknown(argument, ["label"]);
                    break;
            }
        }

        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Label) || Label.Contains(' ', StringComparison.Ordinal))
        {
            yield return $"{DrainingNodesPlugin.PluginName}.arguments.label: '{Label}' is not a node label; write one such as example.com/draining.";
        }
    }
}
