using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Turns one object's YAML into a typed object with KubernetesClient. Parsing is strict so that every unknown field
/// is reported (KubernetesYaml stops at the first one, so each is removed and the parse repeated); the object is
/// then kept without those fields, which is what a lenient parse yields.
/// </summary>
internal static partial class ObjectReader
{
    // Bounds the strict retries; past this the remaining unknown fields are dropped silently by a lenient parse.
    private const int MaxUnknownFields = 50;

    /// <param name="kind">The kind to read.</param>
    /// <param name="node">The object's YAML; unknown fields are removed from it.</param>
    /// <param name="sourceText">Text whose parse produced <paramref name="node"/>, or null to write the node out.</param>
    /// <param name="context">Receives a warning per unknown field and an error when the object cannot be read.</param>
    /// <returns>The object, or null after reporting an error.</returns>
    public static IKubernetesObject<V1ObjectMeta>? Read(ManifestKind kind, YamlMappingNode node, string? sourceText, ValidationContext context)
    {
        var text = sourceText ?? YamlNodes.Emit(node);
        YamlNode? textTree = sourceText is null ? null : node;
        for (var attempt = 0; attempt <= MaxUnknownFields; attempt++)
        {
            try
            {
                return kind.Deserialize(text, attempt < MaxUnknownFields);
            }
            catch (YamlException ex) when (UnknownProperty().Match(ex.Message) is { Success: true } match)
            {
                textTree ??= YamlNodes.ParseSingle(text);
                var path = YamlNodes.FindKeyPath(textTree, ex.Start);
                var field = match.Groups["field"].Value;
                var suggestion = FieldSuggestions.Suggest(field, match.Groups["type"].Value);
                var hint = suggestion is null ? string.Empty : $" (did you mean {suggestion}?)";
                if (path is null)
                {
                    context.Warning($"unknown field \"{field}\"{hint} is not part of {kind.Kind} and was ignored");
                    return ReadLeniently(kind, text, textTree, context);
                }

                context.Warning($"unknown field {YamlNodes.FormatPath(path)}{hint} is not part of {kind.Kind} and was ignored", [.. path]);
                if (!YamlNodes.Remove(node, path))
                {
                    return ReadLeniently(kind, text, textTree, context);
                }

                text = YamlNodes.Emit(node);
                textTree = null;
            }
            catch (Exception ex) when (IsReadFailure(ex))
            {
                ReportFailure(kind, text, textTree, ex, context);
                return null;
            }
        }

        return null;
    }

    private static IKubernetesObject<V1ObjectMeta>? ReadLeniently(ManifestKind kind, string text, YamlNode? textTree, ValidationContext context)
    {
        try
        {
            return kind.Deserialize(text, false);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            ReportFailure(kind, text, textTree, ex, context);
            return null;
        }
    }

    private static void ReportFailure(ManifestKind kind, string text, YamlNode? textTree, Exception ex, ValidationContext context)
    {
        // YamlDotNet wraps converter failures ("Exception during deserialization"); the inner message is the useful one,
        // except for casts, whose message is a .NET type name.
        var detail = Describe(ex.InnerException ?? ex);
        if (ex is YamlException yaml)
        {
            textTree ??= TryParse(text);
            if (textTree is not null && YamlNodes.FindValuePath(textTree, yaml.Start) is { Count: > 0 } path)
            {
                var value = YamlNodes.At(textTree, path);
                var found = value is null || detail.Contains(" here, not ", StringComparison.Ordinal) ? string.Empty : $" (found {YamlNodes.Describe(value)})";
                context.Error($"{YamlNodes.FormatPath(path)} cannot be read as part of {kind.Kind}{found}: {detail}", [.. path]);
                return;
            }
        }

        context.Error($"the {kind.Kind} cannot be read: {detail}");
    }

    // Turns YamlDotNet's event names and document-relative positions into plain words.
    private static string Describe(Exception ex)
    {
        switch (ex)
        {
            case InvalidCastException:
                return "a single value cannot stand where a list or mapping belongs (or the other way round)";
            case OverflowException:
                return "the number is too large for this field";
            case FormatException when ex.Message.Contains("Boolean", StringComparison.Ordinal):
                return "expected true or false";
            case FormatException when ex.Message.Contains("not in a correct format", StringComparison.Ordinal):
                return "expected a number (a whole number where the field counts something, e.g. 2)";
            default:
                break;
        }

        var message = TrailingPosition().Replace(ex.Message, string.Empty);
        var shape = ExpectedShape().Match(message);
        return shape.Success ? $"expected {Shape(shape.Groups["expected"].Value)} here, not {Shape(shape.Groups["found"].Value)}" : message;
    }

    private static string Shape(string yamlEvent) => yamlEvent switch
    {
        "MappingStart" => "a mapping",
        "SequenceStart" => "a list",
        "Scalar" => "a single value",
        _ => yamlEvent,
    };

    private static YamlNode? TryParse(string text)
    {
        try
        {
            return YamlNodes.ParseSingle(text);
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            return null;
        }
    }

    // KubernetesClient and YamlDotNet throw many exception types on bad input (YamlException, FormatException,
    // InvalidOperationException, NullReferenceException...); none of them may escape the loader.
    private static bool IsReadFailure(Exception ex) => ex is not (OutOfMemoryException or StackOverflowException);

    [GeneratedRegex(@"\s*\(at Line: \d+, Col: \d+, Idx: \d+\)\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex TrailingPosition();

    [GeneratedRegex(@"^Expected '(?<expected>\w+)', got '(?<found>\w+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectedShape();

    [GeneratedRegex(@"^Property '(?<field>.*)' not found on type '(?<type>[^']*)'\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownProperty();
}
