using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Controllers.Hosting;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease through the cluster port, on the injected clock (so tests
/// drive it with a fake time provider). The protocol is client-go's: read the lease; create it if missing; take it
/// over when it is free or has not changed for its duration as measured on <i>our</i> clock since we last saw it
/// change (no trust in other machines' clocks); renew it with the resource version as precondition, so of two
/// replicas racing for it exactly one wins (the other gets a 409 Conflict).
/// </summary>
public sealed partial class LeaderElector(ICluster cluster, string leaseName, LeaderElectionOptions options, TimeProvider time, ILogger logger)
{
    private string? _observedHolder;
    private DateTime? _observedRenewTime;
    private DateTimeOffset _observedAt;

    public string LeaseName => leaseName;

    /// <summary>The holder the lease named when last read ("" when free, null before the first read).</summary>
    public string? ObservedLeader => _observedHolder;

    /// <summary>
    /// One round: creates, takes over or renews the lease when that is allowed. True when this replica holds it
    /// afterwards. Failures to reach the cluster count as "not held" and are logged.
    /// </summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        V1Lease? lease;
        try
        {
            lease = await cluster.GetAsync<V1Lease>(options.Namespace, leaseName, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                var created = await cluster.CreateAsync(NewLease(now), cancellationToken).ConfigureAwait(false);
                Observe(created, now);
                return true;
            }

            Observe(lease, now);
            var spec = lease.Spec ?? new V1LeaseSpec();
            var holder = spec.HolderIdentity ?? string.Empty;
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)options.LeaseDuration.TotalSeconds);
            var ours = holder == options.Identity;
            if (!ours && holder.Length > 0 && _observedAt + duration > now)
            {
                return false;
            }

            var renewed = lease with
            {
                Spec = spec with
                {
                    HolderIdentity = options.Identity,
                    LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds,
                    RenewTime = now.UtcDateTime,
                    AcquireTime = ours ? spec.AcquireTime : now.UtcDateTime,
                    LeaseTransitions = ours ? spec.LeaseTransitions : (spec.LeaseTransitions ?? 0) + 1,
                },
            };
            var written = await cluster.ReplaceAsync(renewed, cancellationToken).ConfigureAwait(false);
            Observe(written, now);
            return true;
        }
        catch (ClusterException e) when (e.Reason is ClusterErrorReason.Conflict or ClusterErrorReason.AlreadyExists)
        {
            // Another replica wrote first; it holds the lease this round.
            return false;
        }
        catch (ClusterException e)
        {
            LogLeaseError(logger, leaseName, e.Message);
            return false;
        }
    }

    /// <summary>Waits until this replica holds the lease, trying every retry period.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public async Task<LeadershipTerm> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
        {
            await Task.Delay(options.RetryPeriod, time, cancellationToken).ConfigureAwait(false);
        }

        LogAcquired(logger, leaseName, options.Identity);
        return new LeadershipTerm(this, time.GetUtcNow());
    }

    /// <summary>Gives the lease up (holder cleared, duration 1 s), so a standby takes over at its next try.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await cluster.GetAsync<V1Lease>(options.Namespace, leaseName, cancellationToken).ConfigureAwait(false);
            if (lease?.Spec?.HolderIdentity != options.Identity)
            {
                return;
            }

            var now = time.GetUtcNow().UtcDateTime;
            await cluster.ReplaceAsync(lease with { Spec = lease.Spec with { HolderIdentity = null, LeaseDurationSeconds = 1, RenewTime = now, AcquireTime = now } }, cancellationToken).ConfigureAwait(false);
            LogReleased(logger, leaseName, options.Identity);
        }
        catch (ClusterException e)
        {
            LogLeaseError(logger, leaseName, e.Message);
        }
    }

    internal LeaderElectionOptions Options => options;

    internal TimeProvider Time => time;

    internal ILogger Logger => logger;

    private V1Lease NewLease(DateTimeOffset now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta { Name = leaseName, NamespaceProperty = options.Namespace },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = options.Identity,
            LeaseDurationSeconds = (int)options.LeaseDuration.TotalSeconds,
            AcquireTime = now.UtcDateTime,
            RenewTime = now.UtcDateTime,
            LeaseTransitions = 0,
        },
    };

    // The lease's age is measured from when we saw it change, on our clock.
    private void Observe(V1Lease lease, DateTimeOffset now)
    {
        var holder = lease.Spec?.HolderIdentity ?? string.Empty;
        var renewed = lease.Spec?.RenewTime;
        if (holder != _observedHolder || renewed != _observedRenewTime)
        {
            _observedHolder = holder;
            _observedRenewTime = renewed;
            _observedAt = now;
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "lease {Lease}: {Identity} is the leader")]
    private static partial void LogAcquired(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "lease {Lease}: {Identity} released it")]
    private static partial void LogReleased(ILogger logger, string lease, string identity);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "lease {Lease}: {Error}")]
    private static partial void LogLeaseError(ILogger logger, string lease, string error);
}
