using k8s;
using k8s.Models;

namespace Kai.Controllers.Admission;

/// <summary>
/// What KAI's webhooks answer for one object: allowed or not (with the reasons), the object to store (changed by the
/// mutating webhook, or the one sent), and warnings for the client.
/// </summary>
public sealed record AdmissionDecision(
    bool Allowed,
    IKubernetesObject<V1ObjectMeta> Object,
    IReadOnlyList<string> Errors,
    IReadOnlyList<string> Warnings,
    bool Mutated)
{
    /// <summary>The errors as one message, as the API server shows a webhook's denial.</summary>
    public string Message => string.Join("; ", Errors);
}
