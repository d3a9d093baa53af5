using System.Globalization;
using Kai.Cluster.Crds;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Checks of a Queue. KAI's webhook rejects a queue without <c>spec.resources</c>; values other than -1 below zero
/// have no meaning to the scheduler, so they are errors here. A limit below the quota is only a warning, as in KAI.
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

        CheckDuration(context, "preemptMinRuntime", spec.PreemptMinRuntime);
        CheckDuration(context, "reclaimMinRuntime", spec.ReclaimMinRuntime);
    }

    private static void CheckResource(ValidationContext context, string name, QueueResource? resource)
    {
        if (resource is null)
        {
            return;
        }

        var quotaValid = CheckQuotaOrLimit(context, name, "quota", resource.Quota);
        var limitValid = CheckQuotaOrLimit(context, name, "limit", resource.Limit);
        if (resource.OverQuotaWeight is { } weight && (!double.IsFinite(weight) || weight < 0))
        {
            context.Error(
                $"spec.resources.{name}.overQuotaWeight is {weight.ToString(CultureInfo.InvariantCulture)}; it must be 0 or more, e.g. 1 (-1 means unlimited only for quota and limit)",
                "spec", "resources", name, "overQuotaWeight");
        }

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

    private static bool CheckQuotaOrLimit(ValidationContext context, string name, string field, double? value)
    {
        if (value is not { } number || number == KaiApi.Unlimited || (double.IsFinite(number) && number >= 0))
        {
            return true;
        }

        context.Error(
            $"spec.resources.{name}.{field} is {Format(number)}; use -1 for unlimited or a value of 0 or more",
            "spec", "resources", name, field);
        return false;
    }

    private static void CheckDuration(ValidationContext context, string field, string? text)
    {
        if (text is null)
        {
            return;
        }

        if (!GoDuration.TryParse(text, out var duration, out var error))
        {
            context.Error($"spec.{field}: {error}", "spec", field);
        }
        else if (duration.IsNegative)
        {
            context.Error($"spec.{field} is \"{text}\"; a minimum runtime cannot be negative (use e.g. 0, 30s or 5m)", "spec", field);
        }
    }

    private static string Format(double value) =>
        value == KaiApi.Unlimited ? "-1 (unlimited)" : value.ToString(CultureInfo.InvariantCulture);
}
