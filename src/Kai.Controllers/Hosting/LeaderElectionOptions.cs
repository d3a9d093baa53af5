namespace Kai.Controllers.Hosting;

/// <summary>Leader election on a coordination.k8s.io Lease, with KAI's (controller-runtime's) timings by default.</summary>
public sealed record LeaderElectionOptions
{
    /// <summary>Where the leases live (KAI's components run in <c>kai-scheduler</c>).</summary>
    public string Namespace { get; init; } = "kai-scheduler";

    /// <summary>This replica's name in the lease's <c>holderIdentity</c>; unique per replica.</summary>
    public string Identity { get; init; } = Environment.MachineName;

    /// <summary>How long a lease is good for after its last renewal: a standby takes over once it has not changed for this long.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>A leader that could not renew for this long steps down (before the lease runs out for the others).</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often leaders renew and standbys try to acquire.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(5);
}
