namespace Kai.ApiServer.Faults;

/// <summary>
/// Faults to inject into a running API server, for testing clients against the failures a real one shows: answer
/// chosen requests with an error status (409, 410, 500, …), cut every open watch (the client sees a connection
/// reset), or go away for a while (every request's connection is reset until <see cref="Unavailable"/> is cleared).
/// It also counts requests by method and path, so a test can tell how often something was asked. Off unless set in
/// <see cref="ApiServerOptions.Faults"/>.
/// </summary>
public sealed class ApiFaults : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private CancellationTokenSource _watchCut = new();
    private volatile bool _unavailable;
    private int _watchesToExpire;

    /// <summary>While true, every request (watches included) has its connection reset, as if the server were gone.</summary>
    public bool Unavailable
    {
        get => _unavailable;
        set
        {
            _unavailable = value;
            if (value)
            {
                CutWatches();
            }
        }
    }

    /// <summary>Fires when open watches are to be cut.</summary>
    internal CancellationToken WatchCut
    {
        get
        {
            lock (_gate)
            {
                return _watchCut.Token;
            }
        }
    }

    /// <summary>
    /// Answers the next <paramref name="times"/> requests whose method is <paramref name="method"/> and whose path and
    /// query contain <paramref name="pathFragment"/> with <paramref name="statusCode"/> (a Status body with
    /// <paramref name="reason"/>), without doing what they ask.
    /// </summary>
    public void FailNext(string method, string pathFragment, int statusCode, int times = 1, string reason = "InjectedFault")
    {
        lock (_gate)
        {
            _rules.Add(new Rule(method, pathFragment, statusCode, reason) { Remaining = times });
        }
    }

    /// <summary>
    /// The next <paramref name="times"/> watches that ask for a resource version get a 410 Expired ERROR event in their
    /// stream, as from an API server whose history (etcd, compacted) no longer reaches back that far.
    /// </summary>
    public void ExpireNextWatches(int times)
    {
        lock (_gate)
        {
            _watchesToExpire += times;
        }
    }

    /// <summary>True (once per <see cref="ExpireNextWatches"/>) when this watch is to be told its version expired.</summary>
    internal bool TakeWatchExpiry()
    {
        lock (_gate)
        {
            if (_watchesToExpire <= 0)
            {
                return false;
            }

            _watchesToExpire--;
            return true;
        }
    }

    /// <summary>Resets the connection of every watch open now; new watches are not affected.</summary>
    public void CutWatches()
    {
        CancellationTokenSource cut;
        lock (_gate)
        {
            cut = _watchCut;
            _watchCut = new CancellationTokenSource();
        }

        cut.Cancel();
        cut.Dispose();
    }

    /// <summary>Requests seen (faulted or not) with this method whose path contains <paramref name="pathFragment"/>.</summary>
    public int Count(string method, string pathFragment)
    {
        lock (_gate)
        {
            return _counts.Where(c => c.Key.StartsWith(method + " ", StringComparison.Ordinal) && c.Key.Contains(pathFragment, StringComparison.Ordinal)).Sum(c => c.Value);
        }
    }

    /// <summary>The <see cref="HttpContext.Items"/> key of the cut token a request was let through with.</summary>
    internal static readonly object WatchCutItem = new();

    /// <summary>
    /// What to do with a request: nothing (null), reset its connection (0) or answer with a status code. A request let
    /// through also gets the token that cuts it if it is a watch, taken under the same lock as the availability check:
    /// a watch let through just before <see cref="Unavailable"/> is set is then cut with the others instead of
    /// outliving the outage because it read <see cref="WatchCut"/> after the cut.
    /// </summary>
    internal (int Code, string Reason)? Intercept(string method, string pathAndQuery, out CancellationToken watchCut)
    {
        lock (_gate)
        {
            watchCut = _watchCut.Token;
            var key = method + " " + pathAndQuery;
            _counts[key] = _counts.GetValueOrDefault(key) + 1;
            if (_unavailable)
            {
                return (0, "Unavailable");
            }

            foreach (var rule in _rules)
            {
                if (rule.Remaining > 0 && rule.Method == method && pathAndQuery.Contains(rule.PathFragment, StringComparison.Ordinal))
                {
                    rule.Remaining--;
                    return (rule.StatusCode, rule.Reason);
                }
            }

            return null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watchCut.Dispose();
        }
    }

    private sealed record Rule(string Method, string PathFragment, int StatusCode, string Reason)
    {
        public int Remaining { get; set; }
    }
}
