namespace Kai.Scheduling.Solvers;

internal static class AllocProbe
{
    private static readonly Dictionary<string, (long Bytes, long Calls)> Totals = [];

    static AllocProbe()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var (k, v) in Totals.OrderByDescending(t => t.Value.Bytes))
            {
                Console.Error.WriteLine($"PROBE {k,-40} {v.Bytes / 1e6,10:F1} MB {v.Calls,10} calls");
            }
        };
    }

    public static long Now() => GC.GetAllocatedBytesForCurrentThread();

    public static void Add(string key, long since)
    {
        var d = GC.GetAllocatedBytesForCurrentThread() - since;
        var t = Totals.GetValueOrDefault(key);
        Totals[key] = (t.Bytes + d, t.Calls + 1);
    }
}
