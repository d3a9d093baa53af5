using Kai.Scheduling.Actions;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling;

/// <summary>
/// Runs scheduling cycles: opens a session over a snapshot, runs the configured actions in order, and returns
/// the decisions, explanations and queue figures as data. Knows nothing of Kubernetes, files or clocks.
/// </summary>
public sealed class SchedulingEngine
{
    private readonly ConfiguredPlugins _plugins;

    /// <param name="configuration">Actions, plugins with their arguments, and flags.</param>
    /// <param name="registry">The plugins the configuration may name (KAI's: <c>KaiPlugins.Registry</c> in Kai.Scheduling.Plugins).</param>
    /// <exception cref="ArgumentException">The configuration has errors (each named in the message).</exception>
    public SchedulingEngine(SchedulerConfiguration configuration, PluginRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _plugins = registry.Configure(configuration);
        var errors = configuration.Validate().Concat(_plugins.Errors.Select(e => e.ToString())).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid scheduler configuration: " + string.Join(" ", errors), nameof(configuration));
        }

        Configuration = configuration;
    }

    public SchedulerConfiguration Configuration { get; }

    /// <summary>The enabled plugins with their bound options.</summary>
    public ConfiguredPlugins Plugins => _plugins;

    /// <summary>Opens a session: builds the working state and runs every plugin's session-open step.</summary>
    public Session OpenSession(ClusterSnapshot snapshot)
    {
        var session = new Session(snapshot, Configuration, _plugins.CreatePipeline());
        var setup = new SessionSetup(session);
        foreach (var plugin in session.Plugins.SessionOpen)
        {
            plugin.OnSessionOpen(session, setup);
        }

        setup.Closed = true;
        return session;
    }

    /// <summary>Runs one cycle over <paramref name="snapshot"/>.</summary>
    /// <param name="snapshot">The cluster as of this cycle.</param>
    /// <param name="observer">Told when each action starts and ends (for timing and logging), if given.</param>
    /// <param name="cancellationToken">Stops the cycle between pod groups.</param>
    public CycleResult RunCycle(ClusterSnapshot snapshot, ICycleObserver? observer = null, CancellationToken cancellationToken = default)
    {
        var session = OpenSession(snapshot);
        foreach (var kind in Configuration.Actions)
        {
            var action = CreateAction(kind);
            session.CurrentAction = kind;
            observer?.ActionStarting(kind);
            action.Execute(session, cancellationToken);
            observer?.ActionFinished(kind);
        }

        return CycleResult.From(session);
    }

    // A fresh action per cycle: actions may keep per-run state, and engines run cycles on many threads.
    private static ISchedulingAction CreateAction(ActionKind kind) => kind switch
    {
        ActionKind.Allocate => new AllocateAction(),
        ActionKind.Consolidation => new ConsolidationAction(),
        ActionKind.Reclaim => new ReclaimAction(),
        ActionKind.Preempt => new PreemptAction(),
        _ => new StaleGangEvictionAction(),
    };
}

/// <summary>Receives notice of each action of a cycle; implemented at the edge (timing, logs, metrics).</summary>
public interface ICycleObserver
{
    void ActionStarting(ActionKind action);

    void ActionFinished(ActionKind action);
}
