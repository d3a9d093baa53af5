namespace Kai.Controllers.Hosting;

/// <summary>
/// One stretch of leadership: renews the lease every retry period and ends (<see cref="Lost"/> fires) when it could
/// not renew for the renew deadline — before the lease runs out for the standbys, so two leaders never act at once
/// as long as clocks tick at the same rate.
/// </summary>
public sealed partial class LeadershipTerm : IAsyncDisposable
{
    private readonly LeaderElector _elector;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopRenewing = new();
    private readonly Task _renewals;

    internal LeadershipTerm(LeaderElector elector, DateTimeOffset acquired)
    {
        _elector = elector;
        _renewals = RenewAsync(acquired);
    }

    /// <summary>Fires when leadership is lost (or the term is disposed): the component must stop acting.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Stops renewing; with <paramref name="release"/>, gives the lease up so a standby takes over at once.</summary>
    public async ValueTask EndAsync(bool release, CancellationToken cancellationToken)
    {
        await _stopRenewing.CancelAsync().ConfigureAwait(false);
        await _renewals.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            await _lost.CancelAsync().ConfigureAwait(false);
            if (release)
            {
                await _elector.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await EndAsync(release: false, CancellationToken.None).ConfigureAwait(false);
        _lost.Dispose();
        _stopRenewing.Dispose();
    }

    private async Task RenewAsync(DateTimeOffset acquired)
    {
        var options = _elector.Options;
        var time = _elector.Time;
        var lastRenewal = acquired;
        try
        {
            while (true)
            {
                await Task.Delay(options.RetryPeriod, time, _stopRenewing.Token).ConfigureAwait(false);
                if (await _elector.TryAcquireOrRenewAsync(_stopRenewing.Token).ConfigureAwait(false))
                {
                    lastRenewal = time.GetUtcNow();
                }
                else if (time.GetUtcNow() - lastRenewal >= options.RenewDeadline || _elector.ObservedLeader is { Length: > 0 } other && other != options.Identity)
                {
                    LogLost(_elector.Logger, _elector.LeaseName, options.Identity);
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stopRenewing.IsCancellationRequested)
        {
            // Ended by its owner.
        }
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "lease {Lease}: {Identity} lost the leadership")]
    private static partial void LogLost(ILogger logger, string lease, string identity);
}
