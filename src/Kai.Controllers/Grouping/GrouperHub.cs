using Kai.Cluster.Port;
using Kai.Cluster.Workloads;
using Kai.Controllers.Grouping.Groupers;

namespace Kai.Controllers.Grouping;

/// <summary>
/// Which grouper handles a top owner, by its apiVersion and kind: an exact match first, then the same group and
/// kind registered for any version (<c>*</c>), else the default grouper (one pod group per workload, minMember 1).
/// </summary>
internal sealed class GrouperHub
{
    private const string AnyVersion = "*";

    private readonly Dictionary<KindKey, IGrouper> _table = [];

    public GrouperHub()
    {
        Default = new DefaultGrouper();
        var kubeflow = new KubeflowGrouper(Default);
        var ray = new RayGrouper(Default);
        var skip = new SkipTopOwnerGrouper();

        Add("apps/v1", "Deployment", new DeploymentGrouper(Default));
        Add("apps/v1", "StatefulSet", Default);
        Add("apps/v1", "ReplicaSet", Default);
        Add("batch/v1", "Job", new JobGrouper(Default));
        Add("batch/v1", "CronJob", new CronJobGrouper(Default));
        Add("v1", "Pod", new BarePodGrouper(Default));
        Add("kubeflow.org/v1", "TFJob", kubeflow.For("TFJob", "tfReplicaSpecs"));
        Add("kubeflow.org/v1", "XGBoostJob", kubeflow.For("XGBoostJob", "xgbReplicaSpecs", "Master", "Worker"));
        Add("kubeflow.org/v1", "JAXJob", kubeflow.For("JAXJob", "jaxReplicaSpecs", "Worker"));
        Add("kubeflow.org/v1", "PyTorchJob", new PyTorchJobGrouper(kubeflow));
        var mpi = new MpiJobGrouper(kubeflow);
        Add("kubeflow.org/v1", "MPIJob", mpi);
        Add("kubeflow.org/v2beta1", "MPIJob", mpi);
        Add("kubeflow.org/v1beta1", "Notebook", new NotebookGrouper(Default));
        Add("kubeflow.org/v1alpha1", "ScheduledWorkflow", Default);
        foreach (var version in new[] { "v1", "v1alpha1" })
        {
            Add($"ray.io/{version}", "RayCluster", ray.ForCluster());
            Add($"ray.io/{version}", "RayJob", ray.ForJob());
            Add($"ray.io/{version}", "RayService", ray.ForService());
        }

        Add("jobset.x-k8s.io/v1alpha2", "JobSet", new JobSetGrouper(Default));
        Add("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", new LeaderWorkerSetGrouper(Default));
        Add("serving.knative.dev/v1", "Service", new KnativeServiceGrouper(Default));
        Add("egx.nvidia.io/v1", "SPOTRequest", new InferenceDefaultGrouper(Default, "SPOTRequest Grouper"));
        Add("machinelearning.seldon.io/v1alpha2", "SeldonDeployment", Default);
        Add("machinelearning.seldon.io/v1", "SeldonDeployment", Default);
        Add("kubevirt.io/v1", "VirtualMachineInstance", Default);
        Add("workspace.devfile.io/v1alpha2", "DevWorkspace", Default);
        Add("tekton.dev/v1", "PipelineRun", Default);
        Add("tekton.dev/v1", "TaskRun", Default);

        // Wrappers whose child is the real workload: grouped by the next owner down.
        Add("argoproj.io/v1alpha1", "Workflow", skip);
        Add("nvidia.com/v1alpha1", "DynamoGraphDeployment", skip);
        Add($"trainer.kubeflow.org/{AnyVersion}", "TrainJob", skip);
        foreach (var kind in new[] { "TrainingWorkload", "InteractiveWorkload", "DistributedWorkload", "InferenceWorkload", "DistributedInferenceWorkload" })
        {
            Add($"run.ai/{AnyVersion}", kind, skip);
        }
    }

    public DefaultGrouper Default { get; }

    /// <summary>The owner kinds with a grouper of their own (version <c>*</c>: any); the pod-grouper reads these.</summary>
    public IEnumerable<KindKey> Kinds => _table.Keys;

    /// <summary>The grouper for a top owner of <paramref name="kind"/>.</summary>
    public IGrouper For(KindKey kind) =>
        _table.TryGetValue(kind, out var exact) ? exact
        : _table.TryGetValue(new KindKey(kind.Group.Length == 0 ? AnyVersion : kind.Group + "/" + AnyVersion, kind.Kind), out var any) ? any
        : Default;

    /// <summary>Whether a dedicated grouper (not the default) handles <paramref name="kind"/>.</summary>
    public bool HasGrouperFor(KindKey kind) => !ReferenceEquals(For(kind), Default) || _table.ContainsKey(kind);

    /// <summary>Groups with the grouper of <paramref name="topOwner"/>'s kind.</summary>
    public ValueTask<PodGroupMetadata> GroupAsync(ObjectView topOwner, IReadOnlyList<ObjectView> owners, GroupingContext context) =>
        For(topOwner.Kind).GroupAsync(topOwner, owners, context);

    private void Add(string apiVersion, string kind, IGrouper grouper) => _table[new KindKey(apiVersion, kind)] = grouper;
}
