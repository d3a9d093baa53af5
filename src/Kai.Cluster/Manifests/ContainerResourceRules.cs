using k8s.Models;
using Kai.Cluster.Quantities;

namespace Kai.Cluster.Manifests;

/// <summary>
/// The API server's checks of a container's resources (Kubernetes' ValidateResourceRequirements): names are standard
/// container resources (cpu, memory, ephemeral-storage, hugepages-*) or extended resources with a domain; extended
/// resources such as nvidia.com/gpu are whole numbers, need a limit and, with a request too, one equal to it; no
/// request exceeds its limit. Syntax, sign and size of each quantity are checked earlier, on the raw YAML.
/// </summary>
internal static class ContainerResourceRules
{
    private const string GpuResource = "nvidia.com/gpu";

    private static readonly string[] StandardContainerResources = ["cpu", "memory", "ephemeral-storage"];

    public static void Check(V1Container container, string field, int index, ValidationContext context)
    {
        var owner = container.Name is { Length: > 0 } name ? $"container \"{name}\"" : $"container #{index}";
        var requests = container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
        var limits = container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
        foreach (var (list, listName) in new[] { (limits, "limits"), (requests, "requests") })
        {
            foreach (var (resource, quantity) in list)
            {
                object[] path = ["spec", field, index, "resources", listName, resource];
                if (!CheckName(resource, owner, listName, path, context))
                {
                    continue;
                }

                if (IsExtended(resource) && Read(quantity) is { } value && value.ToMilli() % 1000 != 0)
                {
                    context.Error(FractionalExtendedMessage(owner, listName, resource, Written(context, path, quantity)), path);
                }
            }
        }

        foreach (var (resource, request) in requests)
        {
            CheckAgainstLimit(owner, field, index, resource, request, limits, context);
        }
    }

    private static void CheckAgainstLimit(
        string owner, string field, int index, string resource, ResourceQuantity request, IDictionary<string, ResourceQuantity> limits, ValidationContext context)
    {
        object[] path = ["spec", field, index, "resources", "requests", resource];
        var shown = YamlNodes.FormatPath(["resources", "requests", resource]);
        if (!limits.TryGetValue(resource, out var limit))
        {
            if (IsExtended(resource) && IsValidName(resource))
            {
                context.Error(
                    $"{owner} {shown} is set without a limit; {resource} is an extended resource, which the API server requires in resources.limits " +
                    "(a request may be left out: it defaults to the limit). Write it under limits instead",
                    path);
            }

            return;
        }

        if (Read(request) is not { } requested || Read(limit) is not { } allowed)
        {
            return;
        }

        if (IsExtended(resource) && requested != allowed)
        {
            context.Error(
                $"{owner} {shown} is {Written(context, path, request)}, but its limit is {Written(context, LimitPath(path), limit)}; the API server requires requests of an extended resource to equal the limit. " +
                "Leave the request out (it defaults to the limit) or make them equal",
                path);
        }
        else if (requested > allowed)
        {
            context.Error(
                $"{owner} {shown} ({Written(context, path, request)}) is above its limit ({Written(context, LimitPath(path), limit)}); a request must be at most the limit. Raise the limit or lower the request",
                path);
        }
    }

    private static bool CheckName(string resource, string owner, string listName, object[] path, ValidationContext context)
    {
        if (IsValidName(resource))
        {
            return true;
        }

        var shown = YamlNodes.FormatPath(["resources", listName, resource]);
        var hint = resource.ToLowerInvariant() switch
        {
            "gpu" or "gpus" or "nvidia/gpu" or "nvidia.com/gpus" => " (did you mean nvidia.com/gpu?)",
            "cpus" or "core" or "cores" => " (did you mean cpu?)",
            "mem" => " (did you mean memory?)",
            _ => string.Empty,
        };
        context.Error(
            $"{owner} {shown}: \"{resource}\" is not a resource a container can request{hint}; use cpu, memory, ephemeral-storage, hugepages-<size> " +
            "or an extended resource with a domain such as nvidia.com/gpu",
            path);
        return false;
    }

    private static string FractionalExtendedMessage(string owner, string listName, string resource, string quantity)
    {
        var shown = YamlNodes.FormatPath(["resources", listName, resource]);
        var start = $"{owner} {shown} is {quantity}; {resource} is an extended resource, and extended resources are whole numbers";
        return resource == GpuResource
            ? $"{start}. To share a GPU, request a fraction with the pod annotation gpu-fraction (e.g. gpu-fraction: \"0.5\") and no {GpuResource}"
            : $"{start}; use e.g. 1 or 2";
    }

    private static bool IsValidName(string resource)
    {
        var slash = resource.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return StandardContainerResources.Contains(resource, StringComparer.Ordinal) || resource.StartsWith("hugepages-", StringComparison.Ordinal);
        }

        // Extended resources: a DNS-subdomain prefix and a name; "requests." prefixes belong to quotas.
        var prefix = resource[..slash];
        var rest = resource[(slash + 1)..];
        return ObjectNames.SubdomainProblem(prefix) is null && rest.Length is > 0 and <= 63 && !resource.StartsWith("requests.", StringComparison.Ordinal) &&
               ObjectNames.IsLabelValue(rest);
    }

    // Extended: has a domain that is not Kubernetes' own (kubernetes.io/...).
    private static bool IsExtended(string resource) =>
        resource.Contains('/', StringComparison.Ordinal) && !resource.Contains("kubernetes.io/", StringComparison.Ordinal);

    // The quantity as the manifest wrote it ("0.5", not KubernetesClient's canonical "500m").
    private static string Written(ValidationContext context, object[] path, ResourceQuantity quantity) =>
        YamlNodes.ScalarText(YamlNodes.At(context.Root, path)) ?? quantity.ToString();

    private static object[] LimitPath(object[] requestPath) => [.. requestPath[..^2], "limits", requestPath[^1]];

    private static Quantity? Read(ResourceQuantity quantity) =>
        QuantityValidation.TryFromResourceQuantity(quantity, out var value, out _) ? value : null;
}
