using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Kai.Controllers.Tests.Observability;

/// <summary>Records every measurement of one meter instance (not of other tests' schedulers, which share its name).</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _measurements = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                Instruments[instrument.Name] = instrument;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => _measurements.Enqueue(new Recorded(i.Name, v, Tags(tags))));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _measurements.Enqueue(new Recorded(i.Name, v, Tags(tags))));
        _listener.Start();
    }

    public ConcurrentDictionary<string, Instrument> Instruments { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<Recorded> Measurements => [.. _measurements];

    /// <summary>Asks the observable gauges for their current values.</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    /// <summary>The measurements of one instrument.</summary>
    public IReadOnlyList<Recorded> Of(string name) => [.. _measurements.Where(m => m.Name == name)];

    public void Dispose() => _listener.Dispose();

    private static Dictionary<string, string?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value?.ToString();
        }

        return result;
    }

    public sealed record Recorded(string Name, double Value, Dictionary<string, string?> Tags);
}
