using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Ordering;

/// <summary>
/// Numbers each queue's ledger state by what it holds — allocation, its non-preemptible part, fair share — so that a
/// state met again gets its number again. A ledger version only says that something changed: a victim search's try
/// evicts victims and rolls them back, so every try leaves the victims' queues with versions never seen before, though
/// the allocations they stand at recur (the same gangs' worth of GPUs taken off). Queue order reads a queue only through
/// its ledger state (which is why remembering an answer under both versions is right), so an answer remembered under
/// both states' numbers is as right, and is found again in later tries.
/// </summary>
internal sealed class LedgerStates(QueueLedger ledger)
{
    private readonly Dictionary<(int Queue, ResourceVector Allocated, ResourceVector NonPreemptible, ResourceVector FairShare), int> _numbers = [];

    // Per queue, the version last numbered and its number: the ledger's content is read again only when the version moved.
    private readonly (int Version, int Number)[] _last = NewLast(ledger.Versions.Length);

    /// <summary>Times a queue's new version was found to name a state numbered before (for tests).</summary>
    public int Recurred { get; private set; }

    /// <summary>States numbered so far.</summary>
    public int Count => _numbers.Count;

    /// <summary>The number of the queue's current ledger state.</summary>
    public int Of(int queue)
    {
        var version = ledger.Versions[queue];
        ref var last = ref _last[queue];
        if (last.Version == version && last.Number >= 0)
        {
            return last.Number;
        }

        var key = (queue, ledger.Allocated[queue], ledger.AllocatedNonPreemptible[queue], ledger.FairShare[queue]);
        if (_numbers.TryGetValue(key, out var number))
        {
            Recurred++;
        }
        else
        {
            number = _numbers.Count;
            _numbers[key] = number;
        }

        last = (version, number);
        return number;
    }

    /// <summary>Forgets every number (they are given anew from 0).</summary>
    public void Clear()
    {
        _numbers.Clear();
        Array.Fill(_last, (0, -1));
    }

    private static (int Version, int Number)[] NewLast(int queues)
    {
        var last = new (int, int)[queues];
        Array.Fill(last, (0, -1));
        return last;
    }
}
