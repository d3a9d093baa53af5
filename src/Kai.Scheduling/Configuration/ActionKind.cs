namespace Kai.Scheduling.Configuration;

/// <summary>The scheduling actions, in KAI's default order.</summary>
public enum ActionKind
{
    Allocate,
    Consolidation,
    Reclaim,
    Preempt,
    StaleGangEviction,
}

/// <summary>KAI's names for the actions (as in the scheduler's <c>actions</c> setting).</summary>
public static class ActionNames
{
    public static string Of(ActionKind action) => action switch
    {
        ActionKind.Allocate => "allocate",
        ActionKind.Consolidation => "consolidation",
        ActionKind.Reclaim => "reclaim",
        ActionKind.Preempt => "preempt",
        _ => "stalegangeviction",
    };

    public static bool TryParse(string text, out ActionKind action)
    {
        foreach (var candidate in Enum.GetValues<ActionKind>())
        {
            if (string.Equals(Of(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }

    public static string All => string.Join(", ", Enum.GetValues<ActionKind>().Select(Of));
}
