using k8s.Models;
using Kai.Cluster.Manifests;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Mapping;

/// <summary>
/// PriorityClass values by name, and the global default, as the scheduler resolves pod group priorities. Kubernetes'
/// own classes (system-node-critical, system-cluster-critical) are known from the start, as in every cluster.
/// </summary>
internal sealed class PriorityClassBook
{
    private readonly Dictionary<string, int> _values = new(SystemPriorityClasses.Values, StringComparer.Ordinal);
    private readonly Dictionary<string, string> _globalDefaults = new(StringComparer.Ordinal);

    public string KnownNames => string.Join(", ", _values.Keys.Order(StringComparer.Ordinal));

    public void Set(V1PriorityClass priorityClass)
    {
        var name = priorityClass.Metadata.Name;
        _values[name] = priorityClass.Value ?? 0;
        if (priorityClass.GlobalDefault == true)
        {
            _globalDefaults[name] = name;
        }
        else
        {
            _globalDefaults.Remove(name);
        }
    }

    public void Remove(string name)
    {
        _values.Remove(name);
        _globalDefaults.Remove(name);
    }

    /// <summary>The class's value, else the global default class's value, else KAI's fallback 50.</summary>
    public int Resolve(string? name, out bool unknown)
    {
        unknown = false;
        if (!string.IsNullOrEmpty(name))
        {
            if (_values.TryGetValue(name, out var value))
            {
                return value;
            }

            unknown = true;
        }

        var globalDefault = _globalDefaults.Keys.Order(StringComparer.Ordinal).FirstOrDefault();
        return globalDefault is not null ? _values[globalDefault] : PodGroup.DefaultPriority;
    }
}
