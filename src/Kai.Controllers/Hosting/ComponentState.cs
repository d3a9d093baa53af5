namespace Kai.Controllers.Hosting;

/// <summary>Where a hosted component is in its life.</summary>
public enum ComponentState
{
    /// <summary>Not started yet, or starting (subscribing to the cluster).</summary>
    Starting,

    /// <summary>Waiting to become the leader (another replica holds the lease).</summary>
    Standby,

    /// <summary>Doing its work (the leader, or running without leader election).</summary>
    Active,

    /// <summary>Failed and waiting to start again.</summary>
    Failing,

    /// <summary>Stopped for good.</summary>
    Stopped,
}
