using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Framework;

/// <summary>
/// A session being opened: its working state is built, and the plugins' session-open steps run one at a time,
/// in pipeline order, so that a caller can time each one. Once every step has run, plugins may no longer
/// publish into the framework's books.
/// </summary>
internal sealed class SessionOpening
{
    private readonly SessionSetup _setup;
    private int _opened;

    public SessionOpening(Session session)
    {
        Session = session;
        _setup = new SessionSetup(session);
        Close();
    }

    public Session Session { get; }

    /// <summary>The plugin whose session-open step runs next, or null when all have run.</summary>
    public ISessionOpenPlugin? NextPlugin => _opened < Session.Plugins.SessionOpen.Length ? Session.Plugins.SessionOpen[_opened] : null;

    /// <summary>Runs the next plugin's session-open step; false when there was none left.</summary>
    public bool OpenNextPlugin()
    {
        if (NextPlugin is not { } plugin)
        {
            return false;
        }

        plugin.OnSessionOpen(Session, _setup);
        _opened++;
        Close();
        return true;
    }

    private void Close() => _setup.Closed = NextPlugin is null;
}
