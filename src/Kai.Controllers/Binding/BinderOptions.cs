namespace Kai.Controllers.Binding;

/// <summary>How the binder works through bind requests.</summary>
public sealed record BinderOptions
{
    public static BinderOptions Default { get; } = new();

    /// <summary>Binds in flight at once (KAI's binder runs 10 workers).</summary>
    public int Workers { get; init; } = 10;

    /// <summary>
    /// Retries of a failing bind when the request sets no <c>spec.backoffLimit</c>. KAI's scheduler never sets one, and
    /// its binder then gives up at once (phase Failed) so that the scheduler places the pod again: 0.
    /// </summary>
    public int DefaultBackoffLimit { get; init; }

    /// <summary>
    /// Event writes in flight at once behind the binds (see <see cref="BinderEventLane"/>). Few, so that events,
    /// which are for people, take little of the API server and the processor from the binds.
    /// </summary>
    public int EventWriters { get; init; } = 1;

    /// <summary>Queued events above which a round waits for the events to be written before it binds (bounds memory).</summary>
    public int MaxQueuedEvents { get; init; } = 20_000;
}
