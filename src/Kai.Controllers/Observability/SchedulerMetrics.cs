using System.Diagnostics.Metrics;
using Kai.Controllers.Conventions;
using Kai.Controllers.Scheduling;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Controllers.Observability;

/// <summary>
/// The scheduler's instruments (names in <see cref="KaiMetrics"/>), fed from each cycle's outcome — the same
/// measurements its log and <c>kai bench</c> report. Latencies are gauges set once per cycle; counters add the
/// cycle's counts; the per-queue figures are observable gauges that read the last cycle's figures when a
/// collector asks. Nothing is recorded for an instrument nobody listens to, and nothing per pod unless the
/// per-pod instruments are listened to.
/// </summary>
internal sealed class SchedulerMetrics : IDisposable
{
    private static readonly KeyValuePair<string, object?>[] OnSessionOpenTag = [new(KaiMetrics.OnSessionTag, KaiMetrics.OnSessionOpen)];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Gauge<double> _e2e;
    private readonly Gauge<double> _openSession;
    private readonly Gauge<double> _closeSession;
    private readonly Gauge<double> _action;
    private readonly Gauge<double> _plugin;
    private readonly Histogram<double> _podScheduling;
    private readonly Counter<long> _scheduledByAction;
    private readonly Counter<long> _consideredByAction;
    private readonly Counter<long> _scenariosByAction;
    private readonly Counter<long> _preemptionAttempts;
    private readonly Counter<long> _evictedPods;
    private volatile IReadOnlyList<QueueFigures> _queues = [];

    public SchedulerMetrics(IMeterFactory? factory)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(KaiMetrics.MeterName) ?? new Meter(KaiMetrics.MeterName);
        _e2e = _meter.CreateGauge<double>(KaiMetrics.E2eSchedulingLatency, KaiMetrics.Milliseconds, "End-to-end latency of the last scheduling cycle: sync, snapshot, session open, actions, session close and decision write-back.");
        _openSession = _meter.CreateGauge<double>(KaiMetrics.OpenSessionLatency, KaiMetrics.Milliseconds, "Open-session latency of the last cycle: cache sync, snapshot and every plugin's session-open step.");
        _closeSession = _meter.CreateGauge<double>(KaiMetrics.CloseSessionLatency, KaiMetrics.Milliseconds, "Close-session latency of the last cycle: collecting the result and writing the decisions back.");
        _action = _meter.CreateGauge<double>(KaiMetrics.ActionSchedulingLatency, KaiMetrics.Milliseconds, "Latency of each action in the last cycle.");
        _plugin = _meter.CreateGauge<double>(KaiMetrics.PluginSchedulingLatency, KaiMetrics.Milliseconds, "Latency of each plugin's session-open step in the last cycle.");
        _podScheduling = _meter.CreateHistogram(
            KaiMetrics.TaskSchedulingLatency,
            KaiMetrics.Milliseconds,
            "From a pod's creation to the cycle that binds it.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = KaiMetrics.LatencyBuckets });
        _scheduledByAction = _meter.CreateCounter<long>(KaiMetrics.PodGroupsScheduledByAction, "{podgroup}", "Pod groups each action placed or made room for.");
        _consideredByAction = _meter.CreateCounter<long>(KaiMetrics.PodGroupsConsideredByAction, "{podgroup}", "Pod groups each action tried.");
        _scenariosByAction = _meter.CreateCounter<long>(KaiMetrics.ScenariosSimulatedByAction, "{scenario}", "Eviction scenarios each action simulated.");
        _preemptionAttempts = _meter.CreateCounter<long>(KaiMetrics.PreemptionAttempts, "{attempt}", "Pod groups the preempt action made room for.");
        _evictedPods = _meter.CreateCounter<long>(KaiMetrics.PodGroupEvictedPods, "{pod}", "Pods evicted, per pod group and action.");

        ObserveQueues(KaiMetrics.QueueFairShareCpu, KaiMetrics.Cores, "CPU fair share of the queue, in cores.", q => q.FairShare.Cpu / 1000.0);
        ObserveQueues(KaiMetrics.QueueFairShareMemory, KaiMetrics.Gigabytes, "Memory fair share of the queue, in GB (10^9 bytes).", q => q.FairShare.Memory / 1e9);
        ObserveQueues(KaiMetrics.QueueFairShareGpu, KaiMetrics.Gpu, "GPU fair share of the queue, in GPU devices.", q => Gpus(q.FairShare));
        ObserveQueues(KaiMetrics.QueueInfo, null, "1 for each queue.", _ => 1);
        ObserveQueues(KaiMetrics.QueueDeservedGpus, KaiMetrics.Gpus, "GPU quota of the queue (-1: unlimited).", q => QuotaOf(q.Settings.Gpu.Quota, ResourceVector.MilliPerGpu));
        ObserveQueues(KaiMetrics.QueueQuotaCpu, KaiMetrics.Cores, "CPU quota of the queue in cores (-1: unlimited).", q => QuotaOf(q.Settings.Cpu.Quota, 1000));
        ObserveQueues(KaiMetrics.QueueQuotaMemory, KaiMetrics.Bytes, "Memory quota of the queue in bytes (-1: unlimited).", q => QuotaOf(q.Settings.Memory.Quota, 1));
        ObserveQueues(KaiMetrics.QueueAllocatedGpus, KaiMetrics.Gpus, "GPUs allocated to the queue's pods.", q => Gpus(q.Allocated));
        ObserveQueues(KaiMetrics.QueueAllocatedCpu, KaiMetrics.Cores, "CPU allocated to the queue's pods, in cores.", q => q.Allocated.Cpu / 1000.0);
        ObserveQueues(KaiMetrics.QueueAllocatedMemory, KaiMetrics.Bytes, "Memory allocated to the queue's pods, in bytes.", q => q.Allocated.Memory);
    }

    /// <summary>The meter (a test listens to this instance only).</summary>
    public Meter Meter => _meter;

    /// <summary>Records one cycle.</summary>
    public void Record(CycleOutcome outcome)
    {
        _queues = outcome.Result.Queues;
        RecordLatencies(outcome.Timings);
        RecordActionCounts(outcome.Result);
        if (_podScheduling.Enabled || _evictedPods.Enabled)
        {
            RecordPods(outcome);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void RecordLatencies(CycleTimings timings)
    {
        _e2e.Record(timings.Total.TotalMilliseconds);
        _openSession.Record(timings.OpenSession.TotalMilliseconds);
        _closeSession.Record(timings.CloseSession.TotalMilliseconds);
        if (_action.Enabled)
        {
            foreach (var (action, duration) in timings.Actions)
            {
                _action.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>(KaiMetrics.ActionTag, ActionNames.Of(action)));
            }
        }

        if (_plugin.Enabled)
        {
            foreach (var (plugin, duration) in timings.Plugins)
            {
                _plugin.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>(KaiMetrics.PluginTag, plugin), OnSessionOpenTag[0]);
            }
        }
    }

    private void RecordActionCounts(CycleResult result)
    {
        foreach (var statistics in result.ActionStatistics)
        {
            var action = new KeyValuePair<string, object?>(KaiMetrics.ActionTag, ActionNames.Of(statistics.Action));
            _scheduledByAction.Add(statistics.PodGroupsScheduled, action);
            _consideredByAction.Add(statistics.PodGroupsConsidered, action);
            _scenariosByAction.Add(statistics.ScenariosSimulated, action);
            if (statistics.Action == ActionKind.Preempt)
            {
                _preemptionAttempts.Add(statistics.PodGroupsScheduled);
            }
        }
    }

    /// <summary>Per pod: bind latency from creation, and evictions per pod group (only when listened to).</summary>
    private void RecordPods(CycleOutcome outcome)
    {
        var snapshot = outcome.Snapshot;
        foreach (var decision in outcome.Result.Decisions)
        {
            if (decision.Kind == DecisionKind.Bind && _podScheduling.Enabled && CreationOf(outcome, decision) is { } created)
            {
                _podScheduling.Record(Math.Max(0, (outcome.Time - created).TotalMilliseconds));
            }
            else if (decision.Kind == DecisionKind.Evict && _evictedPods.Enabled)
            {
                var g = snapshot.FindGroup(decision.Group);
                _evictedPods.Add(
                    1,
                    new KeyValuePair<string, object?>(KaiMetrics.PodGroupTag, decision.Group.Name),
                    new KeyValuePair<string, object?>(KaiMetrics.NamespaceTag, decision.Group.Namespace),
                    new KeyValuePair<string, object?>(KaiMetrics.UidTag, g >= 0 ? snapshot.Groups[g].Uid : string.Empty),
                    new KeyValuePair<string, object?>(KaiMetrics.NodePoolTag, KaiConventions.DefaultNodePool),
                    new KeyValuePair<string, object?>(KaiMetrics.ActionTag, ActionNames.Of(decision.Action)));
            }
        }
    }

    private static DateTimeOffset? CreationOf(CycleOutcome outcome, SchedulingDecision decision)
    {
        var snapshot = outcome.Snapshot;
        var g = snapshot.FindGroup(decision.Group);
        if (g < 0)
        {
            return null;
        }

        foreach (var p in snapshot.MembersOf(g))
        {
            if (snapshot.Pods[p].Key == decision.Pod)
            {
                return snapshot.Pods[p].CreationTimestamp;
            }
        }

        return null;
    }

    private void ObserveQueues(string name, string? unit, string description, Func<QueueFigures, double> value) =>
        _meter.CreateObservableGauge(name, () => Measure(value), unit, description);

    private Measurement<double>[] Measure(Func<QueueFigures, double> value)
    {
        var queues = _queues;
        var measurements = new Measurement<double>[queues.Count];
        for (var i = 0; i < queues.Count; i++)
        {
            measurements[i] = new Measurement<double>(value(queues[i]), new KeyValuePair<string, object?>(KaiMetrics.QueueNameTag, queues[i].Queue.Name));
        }

        return measurements;
    }

    private static double Gpus(ResourceVector vector) => vector.Gpu / (double)ResourceVector.MilliPerGpu;

    private static double QuotaOf(long quota, double perUnit) => quota == QueueResourceSettings.Unlimited ? -1 : quota / perUnit;
}
