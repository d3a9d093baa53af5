using Kai.Scheduling.Configuration;

namespace Kai.Cli.Commands;

/// <summary>The comma-separated action list of <c>--actions</c>, as <c>kai simulate</c> and <c>kai bench</c> read it.</summary>
internal static class ActionList
{
    /// <summary>The actions named in <paramref name="text"/>, in order; false and an error line at the first unknown name.</summary>
    public static bool TryParse(string text, out List<ActionKind> actions, out string error)
    {
        actions = [];
        error = string.Empty;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ActionNames.TryParse(name, out var action))
            {
                error = $"error: --actions: unknown action '{name}'; actions are {ActionNames.All}.";
                return false;
            }

            actions.Add(action);
        }

        return true;
    }
}
