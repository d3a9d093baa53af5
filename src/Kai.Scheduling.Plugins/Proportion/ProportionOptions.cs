using Kai.Scheduling.Configuration;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>The proportion plugin's arguments.</summary>
public sealed record ProportionOptions : IPluginOptions
{
    private static readonly string[] Arguments = ["kValue", "reclaimerUtilizationMultiplier", "relcaimerSaturationMultiplier", "reclaimerSaturationMultiplier"];

    /// <summary>How strongly historical usage corrects over-quota shares (argument <c>kValue</c>, &gt;= 0, default 1.0; no effect without usage data).</summary>
    public double KValue { get; init; } = 1.0;

    /// <summary>
    /// Reclaim's saturation multiplier (&gt;= 1, default 1.0): a reclaimer above its fair share may take from a sibling
    /// only while its own utilisation ratio times this stays below the sibling's. KAI reads the misspelt key
    /// <c>relcaimerSaturationMultiplier</c>; it, <c>reclaimerSaturationMultiplier</c> and the documented
    /// <c>reclaimerUtilizationMultiplier</c> are accepted.
    /// </summary>
    public double ReclaimerSaturationMultiplier { get; init; } = 1.0;

    public static ProportionOptions Bind(PluginBinding binding)
    {
        var options = new ProportionOptions();
        foreach (var argument in binding.Arguments)
        {
            switch (argument.Key)
            {
                case "kValue":
                    options = options with { KValue = binding.Number(argument) ?? options.KValue };
                    binding.Warning(argument, $"{binding.Setting(argument)} has no effect yet: it weighs historical usage, and usage-based fair share is not implemented.");
                    break;
                case "reclaimerUtilizationMultiplier" or "relcaimerSaturationMultiplier" or "reclaimerSaturationMultiplier":
                    options = options with { ReclaimerSaturationMultiplier = binding.Number(argument) ?? options.ReclaimerSaturationMultiplier };
                    break;
                default:
                    binding.Unknown(argument, Arguments);
                    break;
            }
        }

        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (KValue < 0 || !double.IsFinite(KValue))
        {
            yield return $"{ProportionPlugin.PluginName}.kValue: {KValue} must be a number >= 0 (default 1.0).";
        }

        if (ReclaimerSaturationMultiplier < 1 || !double.IsFinite(ReclaimerSaturationMultiplier))
        {
            yield return $"{ProportionPlugin.PluginName}.reclaimerUtilizationMultiplier: {ReclaimerSaturationMultiplier} must be >= 1 (default 1.0).";
        }
    }
}
