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
}
