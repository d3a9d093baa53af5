using Kai.Scheduling.Framework;
using Kai.Scheduling.Tests.Builders;

namespace Kai.Scheduling.Tests.Framework;

/// <summary>
/// The cluster the statement tests share: two 8-GPU nodes; on n1 a running pod <c>old-0</c> (4 GPU, 8 CPU,
/// 16Gi), on n2 a terminating pod <c>leaving-0</c> (same size); two pending pods <c>train-0/1</c> (2 GPU,
/// 4 CPU, 8Gi each) in gang <c>train</c>. All in leaf queue <c>q</c> under <c>dept</c>.
/// </summary>
internal static class StatementFixture
{
    public static Session Open() => new Cluster()
        .With(A.Node("n1").Gpus(8), A.Node("n2").Gpus(8))
        .With(A.Queue("dept"), A.Queue("q").Parent("dept"))
        .With(A.PodGroup("train").MinMember(2).Members(2, gpu: 2, cpu: "4", memory: "8Gi"))
        .With(A.PodGroup("old").Members(1, gpu: 4, cpu: "8", memory: "16Gi", with: p => p.Running("n1")))
        .With(A.PodGroup("leaving").Members(1, gpu: 4, cpu: "8", memory: "16Gi", with: p => p.Releasing("n2")))
        .Open();
}
