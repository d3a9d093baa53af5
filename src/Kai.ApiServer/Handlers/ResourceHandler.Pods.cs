using System.Globalization;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Selectors;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Handlers;

internal sealed partial class ResourceHandler
{
    private const int EvictionAttempts = 8;

    /// <summary>POST <c>pods/{name}/binding</c> (or <c>bindings</c> with the pod named in the body): sets the pod's node; 201 with a Status.</summary>
    public async Task BindAsync(ResourceRequest request)
    {
        var body = RequestBody.ParseObject(await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false), request.Request.ContentType);
        body.Remove("apiVersion");
        body.Remove("kind");
        V1Binding binding;
        try
        {
            binding = KubeJson.Deserialize<V1Binding>(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"Binding in version \"v1\" cannot be handled as a Binding: {e.Message}");
        }

        var podName = request.Name ?? binding.Metadata?.Name;
        if (string.IsNullOrEmpty(podName))
        {
            throw ApiException.BadRequest("a binding must name the pod (metadata.name)");
        }

        if (request.Name is not null && binding.Metadata?.Name is { Length: > 0 } named && named != request.Name)
        {
            throw ApiException.BadRequest($"the name of the object ({named}) does not match the name on the URL ({request.Name})");
        }

        if (binding.Target is not { Name.Length: > 0 } target || target.Kind is not (null or "" or "Node"))
        {
            throw ApiException.Invalid("Binding is invalid: target: must name a Node (target.kind Node, target.name the node)");
        }

        var pods = request with { Name = podName, Subresource = "binding" };
        if (context.Cluster.Get(request.Resource.Storage, request.Namespace, podName) is null)
        {
            throw NotFound(pods, podName);
        }

        try
        {
            await context.Cluster.BindPodAsync(request.Namespace!, podName, target.Name, request.Aborted).ConfigureAwait(false);
        }
        catch (ClusterException e)
        {
            throw FromStore(e, pods, podName);
        }

        await Responses.WriteSuccessAsync(request.Http, 201).ConfigureAwait(false);
    }

    /// <summary>
    /// POST <c>pods/{name}/eviction</c> (policy/v1): deletes the pod unless its PodDisruptionBudget forbids it
    /// (429, cause DisruptionBudget). The budget's allowance is computed from the pods it selects, as the
    /// disruption controller would, and recorded in its status with the pod among disruptedPods.
    /// </summary>
    private async Task EvictAsync(ResourceRequest request)
    {
        var body = RequestBody.ParseObject(await RequestBody.ReadBytesAsync(request.Request, request.Aborted).ConfigureAwait(false), request.Request.ContentType);
        body.Remove("apiVersion");
        body.Remove("kind");
        V1Eviction eviction;
        try
        {
            eviction = KubeJson.Deserialize<V1Eviction>(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"Eviction in version \"v1\" cannot be handled as a Eviction: {e.Message}");
        }

        var name = request.Name!;
        if (eviction.Metadata?.Name is { Length: > 0 } named && named != name)
        {
            throw ApiException.BadRequest($"name in URL does not match name in Eviction object");
        }

        var options = eviction.DeleteOptions ?? new V1DeleteOptions();
        var pods = request with { Subresource = null };
        for (var attempt = 1; ; attempt++)
        {
            var pod = context.Cluster.Get(request.Resource.Storage, request.Namespace, name) as V1Pod ?? throw NotFound(pods, name);
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                await Responses.WriteSuccessAsync(request.Http, 200).ConfigureAwait(false);
                return;
            }

            if (!IgnoresBudgets(pod))
            {
                var budgets = context.Cluster.List(context.Cluster.Kinds.Get<V1PodDisruptionBudget>()).Items
                    .Cast<V1PodDisruptionBudget>()
                    .Where(b => b.Metadata.NamespaceProperty == pod.Metadata.NamespaceProperty && Selects(b, pod))
                    .ToList();
                if (budgets.Count > 1)
                {
                    throw ApiException.Internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
                }

                if (budgets is [var budget] && !TryTakeDisruption(budget, pod))
                {
                    if (attempt < EvictionAttempts)
                    {
                        continue;
                    }

                    throw ApiException.Conflict($"Operation cannot be fulfilled on poddisruptionbudgets.policy \"{budget.Metadata.Name}\": the object has been modified; please apply your changes to the latest version and try again");
                }
            }

            Delete(pods, name, options);
            await Responses.WriteSuccessAsync(request.Http, 201).ConfigureAwait(false);
            return;
        }
    }

    // Pods that are not running (yet or any more) disrupt nothing.
    private static bool IgnoresBudgets(V1Pod pod) => pod.Status?.Phase is "Pending" or "Succeeded" or "Failed" or null;

    private static bool Selects(V1PodDisruptionBudget budget, V1Pod pod) =>
        budget.Spec?.Selector is { } selector
        && (selector.MatchLabels is { Count: > 0 } || selector.MatchExpressions is { Count: > 0 })
        && LabelSelector.FromStructured(selector).Matches(pod.Metadata.Labels);

    /// <summary>
    /// Checks the budget and records one disruption in its status (under its resource version). False when the
    /// status changed meanwhile (retry); throws 429 when the budget allows no disruption.
    /// </summary>
    private bool TryTakeDisruption(V1PodDisruptionBudget budget, V1Pod pod)
    {
        var selected = context.Cluster.List(context.Cluster.Kinds.Get<V1Pod>()).Items.Cast<V1Pod>()
            .Where(p => p.Metadata.NamespaceProperty == budget.Metadata.NamespaceProperty && p.Metadata.DeletionTimestamp is null && Selects(budget, p) && p.Status?.Phase is not ("Succeeded" or "Failed"))
            .ToList();
        var expected = selected.Count;
        var healthy = selected.Count(IsHealthy);
        var desired = DesiredHealthy(budget.Spec, expected);
        var allowed = Math.Max(0, healthy - desired);
        var podIsHealthy = IsHealthy(pod);

        // An unhealthy pod may go whenever the budget is met (unhealthyPodEvictionPolicy IfHealthyBudget).
        if (allowed <= 0 && !(!podIsHealthy && healthy >= desired))
        {
            throw ApiException.TooManyRequests(
                "Cannot evict pod as it would violate the pod's disruption budget.",
                new V1StatusDetails
                {
                    Causes = [new V1StatusCause { Reason = "DisruptionBudget", Message = $"The disruption budget {budget.Metadata.Name} needs {desired} healthy pods and has {healthy} currently" }],
                });
        }

        var disrupted = new Dictionary<string, DateTime?>(budget.Status?.DisruptedPods ?? new Dictionary<string, DateTime?>())
        {
            [pod.Metadata.Name] = context.Time.GetUtcNow().UtcDateTime,
        };
        var updated = KubeObjects.ShallowCopy(budget);
        updated.Status = new V1PodDisruptionBudgetStatus
        {
            CurrentHealthy = healthy,
            DesiredHealthy = desired,
            ExpectedPods = expected,
            DisruptionsAllowed = podIsHealthy ? Math.Max(0, allowed - 1) : allowed,
            DisruptedPods = disrupted,
            ObservedGeneration = budget.Metadata.Generation,
            Conditions = budget.Status?.Conditions,
        };
        try
        {
            context.Cluster.ReplaceStatus(updated);
            return true;
        }
        catch (ClusterException e) when (e.Reason == ClusterErrorReason.Conflict)
        {
            return false;
        }
    }

    private static bool IsHealthy(V1Pod pod) =>
        pod.Status?.Phase == "Running" && pod.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    // minAvailable (a count or a percentage of the expected pods, rounded up) or expected − maxUnavailable; one
    // available pod when neither is set, as the API server defaults a budget.
    private static int DesiredHealthy(V1PodDisruptionBudgetSpec? spec, int expected)
    {
        if (spec?.MaxUnavailable is { } maxUnavailable)
        {
            return Math.Max(0, expected - Scaled(maxUnavailable, expected));
        }

        return spec?.MinAvailable is { } minAvailable ? Scaled(minAvailable, expected) : 1;
    }

    private static int Scaled(IntOrString value, int total)
    {
        var text = value.Value ?? "0";
        if (text.EndsWith('%'))
        {
            var percent = int.Parse(text[..^1], CultureInfo.InvariantCulture);
            return (int)Math.Ceiling(total * percent / 100.0);
        }

        return int.Parse(text, CultureInfo.InvariantCulture);
    }
}
