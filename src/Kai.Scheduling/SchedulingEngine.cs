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
        var opening = BeginSession(snapshot);
        while (opening.OpenNextPlugin())
        {
        }

        return opening.Session;
    }

    /// <summary>A session whose plugins' session-open steps are still to run, one at a time.</summary>
    internal SessionOpening BeginSession(ClusterSnapshot snapshot) => new(new Session(snapshot, Configuration, _plugins.CreatePipeline()));

    /// <summary>
    /// Starts a cycle over <paramref name="snapshot"/> that the caller runs step by step — each plugin's
    /// session-open step, then each action — to time or log each one; <see cref="RunCycle"/> does it all in one
    /// call.
    /// </summary>
    /// <param name="snapshot">The cluster as of this cycle.</param>
    /// <param name="cycleNumber">The caller's count of cycles, for tracing (0 = not counted).</param>
    public SchedulingCycle StartCycle(ClusterSnapshot snapshot, long cycleNumber = 0) => new(this, snapshot, cycleNumber);

    /// <summary>Runs one cycle over <paramref name="snapshot"/>: every configured action, in order.</summary>
    /// <param name="snapshot">The cluster as of this cycle.</param>
    /// <param name="cancellationToken">Stops the cycle between pod groups.</param>
    public CycleResult RunCycle(ClusterSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        using var cycle = StartCycle(snapshot);
        foreach (var action in Configuration.Actions)
        {
            cycle.Run(action, cancellationToken);
        }

        return cycle.Finish();
    }
}
