using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework;

/// <summary>
/// What a session-open plugin may publish for the rest of the session: the values the framework keeps in its
/// books for later readers (queue order, reclaim rules, reports). Valid only during session open.
/// </summary>
public sealed class SessionSetup
{
    private readonly Session _session;

    internal SessionSetup(Session session) => _session = session;

    /// <summary>Sets a queue's fair share (CPU millicores, memory bytes, milli-GPU), as reported after the cycle.</summary>
    public void SetFairShare(int queue, in ResourceVector share)
    {
        ObjectDisposedException.ThrowIf(Closed, this);
        _session.Queues.SetFairShare(queue, share);
    }

    internal bool Closed { get; set; }
}
