using System.Collections.Frozen;

namespace Kai.Scheduling.Model;

/// <summary>
/// What a pod requires of its node besides resources: node selector, required node affinity, tolerations,
/// host ports and inter-pod (anti-)affinity. Immutable; <see cref="Signature"/> identifies equal constraint sets so feasibility can be
/// computed once per equivalence class instead of once per pod.
/// </summary>
public sealed class PlacementConstraints
{
    public static PlacementConstraints None { get; } = new(FrozenDictionary<string, string>.Empty, [], [], []);

    public PlacementConstraints(
        IReadOnlyDictionary<string, string> nodeSelector,
        IReadOnlyList<NodeSelectorTerm> requiredAffinityTerms,
        IReadOnlyList<Toleration> tolerations,
        IReadOnlyList<HostPort> hostPorts,
        PodAffinity? podAffinity = null)
    {
        NodeSelector = nodeSelector;
        RequiredAffinityTerms = requiredAffinityTerms;
        Tolerations = tolerations;
        HostPorts = hostPorts;
        PodAffinity = podAffinity ?? PodAffinity.None;
        Signature = ComputeSignature();
    }

    public IReadOnlyDictionary<string, string> NodeSelector { get; }

    /// <summary>Required node affinity: a node must match at least one term (terms are ORed). Empty = any node.</summary>
    public IReadOnlyList<NodeSelectorTerm> RequiredAffinityTerms { get; }

    public IReadOnlyList<Toleration> Tolerations { get; }

    public IReadOnlyList<HostPort> HostPorts { get; }

    /// <summary>Inter-pod affinity and anti-affinity (what other pods the node's topology domains hold).</summary>
    public PodAffinity PodAffinity { get; }

    /// <summary>A canonical text of everything above; equal signatures mean equal constraints.</summary>
    public string Signature { get; }

    private string ComputeSignature()
    {
        if (NodeSelector.Count == 0 && RequiredAffinityTerms.Count == 0 && Tolerations.Count == 0 && HostPorts.Count == 0 && PodAffinity.IsEmpty)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        parts.AddRange(NodeSelector.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"sel:{p.Key}={p.Value}"));
        parts.AddRange(RequiredAffinityTerms.Select(t => "aff:" + t));
        parts.AddRange(Tolerations.Select(t => "tol:" + t).Order(StringComparer.Ordinal));
        parts.AddRange(HostPorts.Select(p => "port:" + p).Order(StringComparer.Ordinal));
        if (!PodAffinity.IsEmpty)
        {
            parts.Add("pod:" + PodAffinity);
        }
        return string.Join('|', parts);
    }
}

public enum TaintEffect
{
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

public readonly record struct Taint(string Key, string? Value, TaintEffect Effect)
{
    public override string ToString() => Value is null ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}

public enum TolerationOperator
{
    Equal,
    Exists,
}

/// <summary>A pod toleration. An empty key with <see cref="TolerationOperator.Exists"/> tolerates every taint.</summary>
public readonly record struct Toleration(string? Key, TolerationOperator Operator, string? Value, TaintEffect? Effect)
{
    public bool Tolerates(in Taint taint)
    {
        if (Effect is { } effect && effect != taint.Effect)
        {
            return false;
        }

        if (string.IsNullOrEmpty(Key))
        {
            return Operator == TolerationOperator.Exists;
        }

        if (!string.Equals(Key, taint.Key, StringComparison.Ordinal))
        {
            return false;
        }

        return Operator == TolerationOperator.Exists || string.Equals(Value ?? string.Empty, taint.Value ?? string.Empty, StringComparison.Ordinal);
    }

    public override string ToString() => $"{Key}/{Operator}/{Value}/{Effect}";
}

public readonly record struct HostPort(string Protocol, string HostIp, int Port)
{
    /// <summary>Two host ports conflict when protocol and port match and either binds all addresses.</summary>
    public bool ConflictsWith(in HostPort other) =>
        Port == other.Port
        && string.Equals(Protocol, other.Protocol, StringComparison.Ordinal)
        && (HostIp == other.HostIp || IsWildcard(HostIp) || IsWildcard(other.HostIp));

    public override string ToString() => $"{Protocol}/{HostIp}:{Port}";

    private static bool IsWildcard(string ip) => ip.Length == 0 || ip == "0.0.0.0" || ip == "::";
}
