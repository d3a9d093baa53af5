using System.Globalization;
using Kai.Cluster.Crds;
using Kai.Cluster.Quantities;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of a Queue, as KAI judges them. Its CRD takes any number for quota, limit and over-quota weight; its webhook rejects only a queue without <c>spec.resources</c> and warns about the
/// rest. So only that (and numbers no manifest can carry: NaN, infinity) is an error here; odd values are warnings
/// that say how the scheduler reads them (<see cref="QueueAmount"/>), and the queue is kept. The minimum runtimes
/// (any string in KAI's CRD) are judged when the queue is mapped.
/// </summary>
internal static class QueueRules
{
    public static void Validate(Queue queue, ValidationContext context)
    {
        var spec = queue.Spec;
        if (spec.Resources is not { } resources)
        {
            context.Error(
                "spec.resources is missing; KAI rejects such queues (\"resources must be specified\"). " +
                "Add spec.resources with cpu, gpu and memory, e.g. gpu: {quota: 2, limit: -1, overQuotaWeight: 1}",
                "spec");
        }
        else
        {
            CheckResource(context, "cpu", resources.Cpu);
            CheckResource(context, "gpu", resources.Gpu);
            CheckResource(context, "memory", resources.Memory);
        }

        if (queue.Metadata.Name is { Length: > ObjectNames.MaxLabelValueLength } name)
        {
            context.Warning(
                $"the queue name is {name.Length} characters long; pods name their queue in the kai.scheduler/queue label, whose values " +
                $"are at most {ObjectNames.MaxLabelValueLength} characters, so only PodGroups (spec.queue) can use this queue",
                "metadata", "name");
        }
    }

    private static void CheckResource(ValidationContext context, string name, QueueResource? resource)
    {
        if (resource is null)
        {
            return;
        }

        var scale = QueueAmount.ScaleOf(name);
        var quotaValid = CheckQuotaOrLimit(context, name, "quota", resource.Quota, scale);
        var limitValid = CheckQuotaOrLimit(context, name, "limit", resource.Limit, scale);
        CheckWeight(context, name, resource.OverQuotaWeight);

        // KAI's webhook warns when a real limit (not -1, not 0) is below the quota, counting an unlimited quota as above it.
        if (quotaValid && limitValid && resource.Limit is { } limit && limit > 0 &&
            resource.Quota is { } quota && (quota == KaiApi.Unlimited || limit < quota))
        {
            context.Warning(
                $"spec.resources.{name}.limit ({Format(limit)}) is below its quota ({Format(quota)}); KAI accepts this with a warning, " +
                "but the queue can never use its whole quota. Set the limit to at least the quota, or to -1 for no limit",
                "spec", "resources", name, "limit");
        }
    }

    /// <summary>Reports a quota or limit that is not read as written; true when it is (so it can be compared).</summary>
    private static bool CheckQuotaOrLimit(ValidationContext context, string name, string field, double? value, long scale)
    {
        var (_, reading) = QueueAmount.Read(value, scale);
        object[] path = ["spec", "resources", name, field];
        var shown = $"spec.resources.{name}.{field}";
        switch (reading)
        {
            case QueueAmountReading.NotFinite:
                context.Error($"{shown} is {Format(value!.Value)}; a manifest cannot carry it (JSON has no such number). Use -1 for unlimited or a value of 0 or more", path);
                return false;
            case QueueAmountReading.NegativeReadAsZero:
                var meaning = field == "limit" ? "allows nothing, as a limit of 0 does" : "is read as a quota of 0";
                context.Warning(
                    $"{shown} is {Format(value!.Value)}; KAI accepts it with a warning (\"must be -1 (unlimited) or non-negative\") and here it {meaning}. " +
                    "Use -1 for unlimited or a value of 0 or more",
                    path);
                return false;
            case QueueAmountReading.AboveMaximum:
                context.Warning(
                    $"{shown} is {Format(value!.Value)}, beyond the largest amount the scheduler accounts ({Format((double)AmountLimits.MaxUnits / scale)}); " +
                    "it is read as that maximum, which no request reaches. Use -1 for unlimited",
                    path);
                return false;
            default:
                return true;
        }
    }

    private static void CheckWeight(ValidationContext context, string name, double? weight)
    {
        if (weight is not { } number)
        {
            return;
        }

        object[] path = ["spec", "resources", name, "overQuotaWeight"];
        if (!double.IsFinite(number))
        {
            context.Error($"spec.resources.{name}.overQuotaWeight is {number.ToString(CultureInfo.InvariantCulture)}; a manifest cannot carry it (JSON has no such number). Use a weight of 0 or more, e.g. 1", path);
        }
        else if (number < 0)
        {
            context.Warning(
                $"spec.resources.{name}.overQuotaWeight is {number.ToString(CultureInfo.InvariantCulture)}; KAI accepts it with a warning (\"must be non-negative\"). It is used as KAI uses it: " +
                "each weight is divided by the sum of the weights of the sibling queues still asking for more, so a negative weight gets no " +
                "over-quota share while siblings with positive weights still ask, and one whose siblings are all negative (or that has none) acts as its magnitude. Use 0 or more, e.g. 1",
                path);
        }
    }

    private static string Format(double value) =>
        value == KaiApi.Unlimited ? "-1 (unlimited)" : value.ToString(CultureInfo.InvariantCulture);
}
