using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Controllers.Configuration;

/// <summary>
/// Reads a scheduler configuration file: KAI's scheduler config (<c>actions</c>, <c>tiers[].plugins[]</c> with
/// <c>arguments</c>, <c>queueDepthPerAction</c>) plus the scheduler flags that shape policy (docs/configuration.md).
/// The reader knows no plugin: it turns each plugin's arguments into a neutral <see cref="PluginArguments"/> map,
/// and the <see cref="PluginRegistry"/> binds and validates them. Every message names the file, line and setting
/// and says what would be right.
/// </summary>
public static class SchedulerConfigurationFile
{
    /// <summary>Reads and validates against KAI's plugins; on any error returns null and the errors.</summary>
    public static SchedulerConfiguration? Load(string path, out IReadOnlyList<string> errors)
    {
        var result = Load(path, KaiPlugins.Registry);
        errors = [.. result.Errors.Select(e => e.ToString())];
        return result.Configuration;
    }

    /// <summary>Reads and validates against <paramref name="registry"/>'s plugins.</summary>
    public static SchedulerConfigurationFileResult Load(string path, PluginRegistry registry)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new SchedulerConfigurationFileResult(null, [new ConfigurationMessage(path, $"cannot read the configuration file: {e.Message}")], []);
        }

        return Read(text, path, registry);
    }

    /// <summary>Parses and validates against KAI's plugins; on any error returns null and the errors.</summary>
    public static SchedulerConfiguration? Parse(string text, string fileName, out IReadOnlyList<string> errors)
    {
        var result = Read(text, fileName, KaiPlugins.Registry);
        errors = [.. result.Errors.Select(e => e.ToString())];
        return result.Configuration;
    }

    /// <summary>Parses <paramref name="text"/> (named <paramref name="fileName"/> in messages) and validates it against <paramref name="registry"/>.</summary>
    public static SchedulerConfigurationFileResult Read(string text, string fileName, PluginRegistry registry)
    {
        var errors = new List<ConfigurationMessage>();
        if (LoadRoot(text, fileName, errors) is not { } root)
        {
            return new SchedulerConfigurationFileResult(errors.Count == 0 ? SchedulerConfiguration.Default : null, errors, []);
        }

        var configuration = new SchedulerConfigurationReader(fileName, errors).Read(root);
        var plugins = registry.Configure(configuration);
        errors.AddRange(plugins.Errors);
        errors.AddRange(configuration.Validate().Select(e => new ConfigurationMessage(fileName, e)));
        return new SchedulerConfigurationFileResult(errors.Count == 0 ? configuration : null, errors, plugins.Warnings);
    }

    /// <summary>The document's root mapping; null for an empty document (no errors) or one that is not a mapping (errors).</summary>
    private static YamlMappingNode? LoadRoot(string text, string fileName, List<ConfigurationMessage> errors)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                return null;
            }

            if (stream.Documents[0].RootNode is YamlMappingNode mapping)
            {
                return mapping;
            }

            errors.Add(new(fileName, "the configuration must be a YAML mapping (keys such as actions, tiers)."));
        }
        catch (YamlException e)
        {
            errors.Add(new($"{fileName}:{e.Start.Line}", $"YAML syntax error: {e.Message}"));
        }

        return null;
    }
}
