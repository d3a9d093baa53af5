using k8s.Models;
using Kai.Cluster.Port;
using Kai.Simulation.Workloads.Controllers;

namespace Kai.Simulation.Workloads;

/// <summary>
/// The workload operators a simulated cluster needs, run in-process: Kubernetes' Job, CronJob, Deployment,
/// ReplicaSet and StatefulSet controllers, the Kubeflow training operator (PyTorchJob, TFJob, XGBoostJob, JAXJob,
/// MPIJob) and notebook controller, KubeRay (RayCluster, RayJob, RayService), JobSet, LeaderWorkerSet and Knative
/// Serving, and NVIDIA's ComputeDomain controller and IMEX driver. Each creates the pods (or child objects) its workload's spec asks for, with the labels and owner
/// references the real operator writes, recreates pods that are evicted or fail as the real operator would, and
/// reports status. Simplified where scheduling is not affected; see docs/workloads.md.
/// </summary>
/// <remarks>
/// Driven by the simulation (<see cref="RunOnceAsync"/> each step) or <c>kai serve</c>'s loop. Reconciling is
/// level-triggered: an owner is reconciled when it or anything it controls changed, or when it asked to be woken
/// up; each step runs until nothing is left to do (bounded), so a Deployment's pods exist in the step it appears.
/// </remarks>
public sealed class WorkloadControllers : IDisposable
{
    // Deployment → ReplicaSet → Pod and the like take one pass per level; Knative's chain is the deepest (5).
    private const int MaxPasses = 12;

    private readonly ICluster _cluster;
    private readonly TimeProvider _time;
    private readonly WorkloadCache _cache;
    private readonly Dictionary<KindKey, IWorkloadController> _byKind;

    private WorkloadControllers(ICluster cluster, TimeProvider time, WorkloadCache cache, Dictionary<KindKey, IWorkloadController> byKind)
    {
        _cluster = cluster;
        _time = time;
        _cache = cache;
        _byKind = byKind;
    }

    /// <summary>The kinds that have an embedded controller here.</summary>
    public IReadOnlyCollection<KindKey> ControlledKinds => _byKind.Keys;

    /// <param name="cluster">The embedded cluster.</param>
    /// <param name="time">The (simulated) clock.</param>
    /// <param name="cancellationToken">Cancels subscribing.</param>
    public static async ValueTask<WorkloadControllers> CreateAsync(ICluster cluster, TimeProvider time, CancellationToken cancellationToken = default)
    {
        IWorkloadController[] controllers =
        [
            new JobController(),
            new CronJobController(),
            new ReplicaSetController(),
            new DeploymentController(),
            new StatefulSetController(),
            new KubeflowJobController(),
            new NotebookController(),
            new RayClusterController(),
            new RayJobController(),
            new RayServiceController(),
            new JobSetController(),
            new LeaderWorkerSetController(),
            new KnativeControllers(),
            new ComputeDomainController(),
        ];
        var byKind = new Dictionary<KindKey, IWorkloadController>();
        foreach (var controller in controllers)
        {
            foreach (var kind in controller.Kinds.Where(k => cluster.Kinds.TryGet(k, out _)))
            {
                byKind[kind] = controller;
            }
        }

        var cache = await WorkloadCache.CreateAsync(cluster, byKind.Keys.ToHashSet(), cancellationToken).ConfigureAwait(false);
        return new WorkloadControllers(cluster, time, cache, byKind);
    }

    /// <summary>Whether a pod owned through <paramref name="owner"/> is recreated by an embedded controller when evicted.</summary>
    public bool Controls(V1OwnerReference owner) =>
        _byKind.ContainsKey(new KindKey(owner.ApiVersion ?? string.Empty, owner.Kind ?? string.Empty));

    /// <summary>Reconciles every owner that changed or is due, until nothing is left to do.</summary>
    /// <returns>How many writes the controllers made.</returns>
    public async ValueTask<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var context = new WorkloadContext(_cluster, _cache, _time, cancellationToken);
        _cache.Drain();
        _cache.WakeUp(_time.GetUtcNow());
        for (var pass = 0; pass < MaxPasses && _cache.HasDirty; pass++)
        {
            foreach (var owner in _cache.TakeDirty())
            {
                if (_byKind.TryGetValue(_cache.KindOf(owner), out var controller))
                {
                    await controller.ReconcileAsync(owner, context).ConfigureAwait(false);
                }
            }

            _cache.Drain();
        }

        return context.Writes;
    }

    public void Dispose() => _cache.Dispose();
}
