using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework.Devices;

/// <summary>
/// The session's books of Dynamic Resource Allocation devices (what Kubernetes' DynamicResources filter reads): every
/// device the nodes reach, and the claim that holds it. A claim allocated before the session holds its devices
/// throughout; another claim takes devices of its node when its first pod is placed (in slice order, free devices
/// first), and gives them back when its last pod leaves the node (a rollback), so a shared claim counts once.
/// </summary>
/// <remarks>
/// A claim whose pods on the node are all releasing (evicted) holds its devices as releasing: a pipelined placement may
/// take them (booked as the device's next holder), a binding one may not. Books change only through
/// <see cref="Session.Apply"/>, so statements' rollbacks restore them like every other book.
/// </remarks>
public sealed class DraBook
{
    private readonly DraDevice[] _devices;
    private readonly int[][] _reachable;
    private readonly int[] _holder;
    private readonly int[] _next;
    private readonly Dictionary<string, int> _claimIndex = new(StringComparer.Ordinal);
    private readonly List<ClaimState> _claims = [];
    private readonly int[]?[] _podClaims;

    internal DraBook(ClusterSnapshot snapshot)
    {
        var index = new Dictionary<DraDevice, int>();
        var devices = new List<DraDevice>();
        _reachable = new int[snapshot.Nodes.Count][];
        for (var n = 0; n < _reachable.Length; n++)
        {
            var published = snapshot.Nodes[n].DraDevices;
            var reachable = new int[published.Count];
            for (var d = 0; d < published.Count; d++)
            {
                if (!index.TryGetValue(published[d], out var id))
                {
                    id = devices.Count;
                    index[published[d]] = id;
                    devices.Add(published[d]);
                }

                reachable[d] = id;
            }

            _reachable[n] = reachable;
        }

        _devices = [.. devices];
        _holder = new int[_devices.Length];
        _next = new int[_devices.Length];
        Array.Fill(_holder, -1);
        Array.Fill(_next, -1);
        _podClaims = new int[]?[snapshot.Pods.Count];
        for (var p = 0; p < snapshot.Pods.Count; p++)
        {
            if (snapshot.Pods[p].Claims is { Count: > 0 } claims)
            {
                _podClaims[p] = [.. claims.Select(c => ClaimOf(c, snapshot, index))];
            }
        }
    }

    /// <summary>The devices a node reaches (its slices', then those of slices for all nodes).</summary>
    public int DevicesOn(int node) => _reachable[node].Length;

    /// <summary>The claim (<c>namespace/name</c>) holding a device of a node, or null when it is free.</summary>
    public string? HolderOf(int node, int device)
    {
        var id = _reachable[node][device];
        return _holder[id] >= 0 ? _claims[_holder[id]].Key : _next[id] >= 0 ? _claims[_next[id]].Key : null;
    }

    /// <summary>The node a claim's devices are on (allocated before the session, or by a pod placed in it), or -1 when it holds none.</summary>
    public int NodeOfClaim(string claim) => _claimIndex.TryGetValue(claim, out var c) && Holds(_claims[c]) ? _claims[c].Node : -1;

    /// <summary>How many pods hold the claim on its node in this session (0 for an unknown claim).</summary>
    public int UsersOf(string claim) => _claimIndex.TryGetValue(claim, out var c) ? _claims[c].Users : 0;

    /// <summary>
    /// Whether the pod's claims that still need devices get them on the node: on free devices only
    /// (<paramref name="releasingToo"/> false, for a binding placement) or also on devices of claims being released.
    /// A failure says which class lacks devices, and whether the node publishes too few of them at all.
    /// </summary>
    public DeviceFit Fit(ISessionView session, int pod, int node, bool releasingToo)
    {
        if (_podClaims[pod] is not { } claims)
        {
            return DeviceFit.Fits;
        }

        List<int>? picked = null;
        foreach (var c in claims)
        {
            var claim = _claims[c];
            if (!NeedsDevices(session, pod, claim, node))
            {
                if (PromisedAway(claim) is { } next)
                {
                    // Its pods were evicted and another claim was pipelined onto its devices: it cannot hold them again.
                    return new DeviceFit(false, Unresolvable: false, $"the devices of resource claim {claim.Key} are being released for resource claim {_claims[next].Key}");
                }

                continue;
            }

            foreach (var request in claim.Requests)
            {
                var (fits, usable, matching) = Pick(request, node, releasingToo, picked ??= []);
                if (!fits)
                {
                    var name = session.Snapshot.Nodes[node].Name;
                    var need = request.All ? matching : request.Count;
                    return matching < (request.All ? 1 : request.Count)
                        ? new DeviceFit(false, Unresolvable: true, $"node {name} publishes {matching} devices of class {request.DeviceClass}; resource claim {claim.Key} needs {Math.Max(1, need)}")
                        : new DeviceFit(false, Unresolvable: false, $"node {name} has {usable} free devices of class {request.DeviceClass}; resource claim {claim.Key} needs {need}");
                }
            }
        }

        return DeviceFit.Fits;
    }

    /// <summary>The devices this session allocated to the pod's claims (for its bind request); empty when none.</summary>
    public IReadOnlyList<Decisions.ClaimGrant> GrantsOf(ISessionView session, int pod)
    {
        if (_podClaims[pod] is not { } claims)
        {
            return [];
        }

        List<Decisions.ClaimGrant>? grants = null;
        foreach (var c in claims)
        {
            var claim = _claims[c];
            if (!claim.Fixed && claim.Taken.Count > 0)
            {
                var devices = claim.Taken.Select(t => new ClaimDevice(claim.Requests[t.Request].Name, _devices[t.Device])).ToList();
                (grants ??= []).Add(new Decisions.ClaimGrant(claim.Key, session.Snapshot.Nodes[claim.Node].Name, devices));
            }
        }

        return grants ?? (IReadOnlyList<Decisions.ClaimGrant>)[];
    }

    /// <summary>Moves the pod's claims with the pod: called by the session whenever the pod's status or node changes.</summary>
    internal void OnMoved(int pod, PodStatus before, int beforeNode, PodStatus after, int afterNode)
    {
        if (_podClaims[pod] is not { } claims)
        {
            return;
        }

        var was = before.IsActiveUsed() && beforeNode >= 0;
        var isOn = after.IsActiveUsed() && afterNode >= 0;
        foreach (var c in claims)
        {
            var claim = _claims[c];
            if (was && isOn && beforeNode == afterNode)
            {
                // Same node (evicted, pipelined back, bound): the claim keeps its devices; only how it holds them changes.
                Join(claim, after, afterNode);
                Leave(claim, before);
                continue;
            }

            if (was)
            {
                Leave(claim, before);
            }

            if (isOn)
            {
                Join(claim, after, afterNode);
            }
        }
    }

    /// <summary>Whether the claim must get devices for the pod to go to the node (it holds none, or only through this pod, elsewhere).</summary>
    private static bool NeedsDevices(ISessionView session, int pod, ClaimState claim, int node)
    {
        if (claim.Fixed)
        {
            return false;
        }

        var podHolds = session.StatusOf(pod).IsActiveUsed() && session.NodeOf(pod) >= 0;
        var others = claim.Users - (podHolds ? 1 : 0);
        return others == 0 && !(podHolds && session.NodeOf(pod) == node);
    }

    /// <summary>
    /// Picks a request's devices on the node beyond those already picked: free devices first, then (when allowed)
    /// devices of claims being released; <c>All</c> needs every matching device. Returns what it found either way.
    /// </summary>
    private (bool Fits, int Usable, int Matching) Pick(DeviceRequest request, int node, bool releasingToo, List<int> picked)
    {
        var matching = 0;
        var free = new List<int>();
        var releasing = new List<int>();
        foreach (var id in _reachable[node])
        {
            if (!request.Matches(_devices[id]) || picked.Contains(id))
            {
                continue;
            }

            matching++;
            if (_holder[id] < 0 && _next[id] < 0)
            {
                free.Add(id);
            }
            else if (releasingToo && IsReleasing(id))
            {
                releasing.Add(id);
            }
        }

        var usable = free.Count + releasing.Count;
        var fits = request.All ? usable == matching && matching > 0 : usable >= request.Count;
        if (fits)
        {
            picked.AddRange(free.Concat(releasing).Take(request.All ? usable : request.Count));
        }

        return (fits, usable, matching);
    }

    /// <summary>The claim pipelined onto devices this claim still holds (so it may not hold them again), or null.</summary>
    private int? PromisedAway(ClaimState claim)
    {
        foreach (var (device, _, asNext) in claim.Taken)
        {
            if (!asNext && _next[device] >= 0)
            {
                return _next[device];
            }
        }

        return null;
    }

    private bool IsReleasing(int device) => _next[device] < 0 && _holder[device] >= 0 && _claims[_holder[device]].IsReleasing;

    private void Join(ClaimState claim, PodStatus status, int node)
    {
        claim.Users++;
        claim.ReleasingUsers += status == PodStatus.Releasing ? 1 : 0;
        if (!claim.Fixed && claim.Users == 1)
        {
            Take(claim, node, releasingToo: status != PodStatus.Allocated);
        }
    }

    private void Leave(ClaimState claim, PodStatus status)
    {
        claim.Users--;
        claim.ReleasingUsers -= status == PodStatus.Releasing ? 1 : 0;
        if (!claim.Fixed && claim.Users == 0)
        {
            foreach (var (device, _, asNext) in claim.Taken)
            {
                if (asNext)
                {
                    _next[device] = -1;
                }
                else
                {
                    _holder[device] = -1;
                }
            }

            claim.Taken.Clear();
            claim.Node = -1;
        }
    }

    /// <summary>Books the claim's devices on the node, as <see cref="Fit"/> picked them (a pod of the snapshot takes what is left).</summary>
    private void Take(ClaimState claim, int node, bool releasingToo)
    {
        claim.Node = node;
        var picked = new List<int>();
        for (var r = 0; r < claim.Requests.Count; r++)
        {
            var start = picked.Count;
            Pick(claim.Requests[r], node, releasingToo, picked);
            for (var i = start; i < picked.Count; i++)
            {
                var id = picked[i];
                var asNext = _holder[id] >= 0;
                if (asNext)
                {
                    _next[id] = claim.Index;
                }
                else
                {
                    _holder[id] = claim.Index;
                }

                claim.Taken.Add((id, r, asNext));
            }
        }
    }

    private static bool Holds(ClaimState claim) => claim.Fixed || claim.Users > 0;

    private int ClaimOf(PodClaim podClaim, ClusterSnapshot snapshot, Dictionary<DraDevice, int> index)
    {
        if (_claimIndex.TryGetValue(podClaim.Claim, out var existing))
        {
            return existing;
        }

        var node = podClaim.AllocatedNode is { } name ? snapshot.FindNode(name) : -1;
        var claim = new ClaimState(_claims.Count, podClaim.Claim, podClaim.Requests, Fixed: podClaim.AllocatedNode is not null) { Node = node };
        foreach (var held in podClaim.Allocation)
        {
            // A device no slice publishes any more holds nothing.
            if (claim.Fixed && index.TryGetValue(held.Device, out var id))
            {
                _holder[id] = claim.Index;
                claim.Taken.Add((id, -1, false));
            }
        }

        _claimIndex[podClaim.Claim] = claim.Index;
        _claims.Add(claim);
        return claim.Index;
    }

    private sealed record ClaimState(int Index, string Key, IReadOnlyList<DeviceRequest> Requests, bool Fixed)
    {
        /// <summary>The node its devices are on, or -1.</summary>
        public int Node { get; set; }

        /// <summary>Pods holding it on its node (active statuses).</summary>
        public int Users { get; set; }

        /// <summary>Of those, pods being released.</summary>
        public int ReleasingUsers { get; set; }

        /// <summary>Devices this session booked for it: device, request index, and whether it waits for the device as next holder.</summary>
        public List<(int Device, int Request, bool AsNext)> Taken { get; } = [];

        public bool IsReleasing => Users > 0 && ReleasingUsers == Users;
    }
}

/// <summary>Whether a pod's claims get their devices on a node, and if not why (and whether evictions could help).</summary>
public readonly record struct DeviceFit(bool Success, bool Unresolvable, string? Reason)
{
    public static DeviceFit Fits => new(true, false, null);
}
