namespace Kai.Scheduling.Resources;

/// <summary>
/// Interns extended resource names (anything but cpu, memory, nvidia.com/gpu and pods) to dense indices so
/// that <see cref="ResourceVector"/> stays an integer array. Append-only: an index never changes meaning,
/// so vectors built in earlier cycles stay valid.
/// </summary>
public sealed class ResourceCatalog
{
    public const string GpuResourceName = "nvidia.com/gpu";

    private readonly Dictionary<string, int> _indexByName = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _names.Count;
            }
        }
    }

    public int IndexOf(string name)
    {
        lock (_lock)
        {
            if (!_indexByName.TryGetValue(name, out var index))
            {
                index = _names.Count;
                _names.Add(name);
                _indexByName.Add(name, index);
            }

            return index;
        }
    }

    public string NameOf(int index)
    {
        lock (_lock)
        {
            return index >= 0 && index < _names.Count ? _names[index] : $"extended-{index}";
        }
    }
}
